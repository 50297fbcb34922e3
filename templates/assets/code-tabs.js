// Redline code tabs: a group of code blocks written with `tab` in their fences (the same call
// in curl, Python, Go…) becomes one set of tabs, following the WAI-ARIA tabs pattern. The
// reader's choice is remembered, and every group on every page that has that tab shows it.
// Without this script the blocks read one after another, each under its label.
(function () {
  "use strict";

  var KEY = "redline.codeTab";
  var groups = Array.prototype.slice.call(document.querySelectorAll(".code-tabs"));
  if (!groups.length) return;

  function remembered() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }

  function remember(label) {
    try { localStorage.setItem(KEY, label); } catch (e) { /* private mode: only this page follows */ }
  }

  var sets = groups.map(function (group, groupIndex) {
    var panels = Array.prototype.slice.call(group.querySelectorAll(":scope > .code-tab"));
    var list = document.createElement("div");
    list.className = "code-tab-list";
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", "Code samples");
    var tabs = panels.map(function (panel, index) {
      var label = panel.getAttribute("data-tab");
      var id = "code-tab-" + groupIndex + "-" + index;
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = id;
      tab.className = "code-tab-button";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", id + "-panel");
      tab.textContent = label;
      panel.id = id + "-panel";
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", id);
      // The tab names the panel now; the caption would say it twice.
      var caption = panel.querySelector(".code-tab-label");
      if (caption) caption.hidden = true;
      list.appendChild(tab);
      return tab;
    });
    group.insertBefore(list, group.firstChild);
    group.classList.add("code-tabs-active");
    return { panels: panels, tabs: tabs };
  });

  function show(set, index, focus) {
    set.tabs.forEach(function (tab, i) {
      var selected = i === index;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
      set.panels[i].hidden = !selected;
    });
    if (focus) set.tabs[index].focus();
  }

  function showLabel(label) {
    sets.forEach(function (set) {
      var index = set.panels.map(function (p) { return p.getAttribute("data-tab"); }).indexOf(label);
      if (index >= 0) show(set, index, false);
    });
  }

  sets.forEach(function (set) {
    show(set, 0, false);
    set.tabs.forEach(function (tab, index) {
      tab.addEventListener("click", function () {
        var label = set.panels[index].getAttribute("data-tab");
        remember(label);
        showLabel(label);
      });
      tab.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowRight") next = (index + 1) % set.tabs.length;
        else if (event.key === "ArrowLeft") next = (index - 1 + set.tabs.length) % set.tabs.length;
        else if (event.key === "Home") next = 0;
        else if (event.key === "End") next = set.tabs.length - 1;
        if (next === null) return;
        event.preventDefault();
        var label = set.panels[next].getAttribute("data-tab");
        remember(label);
        showLabel(label);
        show(set, next, true);
      });
    });
  });

  var saved = remembered();
  if (saved) showLabel(saved);
})();
