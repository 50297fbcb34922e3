// Redline "Copy page": puts the page's Markdown twin (<page>/index.md: the text as published,
// front matter included) on the clipboard, for pasting into an assistant or an e-mail. Where
// the browser refuses the clipboard (no secure context, permission denied), the Markdown is shown
// selected in a box below the button for the reader to copy by hand. Nothing leaves the site:
// the twin comes from the same origin, which the Content-Security-Policy allows.
(function () {
  "use strict";

  Array.prototype.forEach.call(document.querySelectorAll("button.copy-page[data-markdown]"), function (button) {
    var status = button.parentNode.querySelector(".copy-page-status");
    var box = null;

    function say(text) { if (status) status.textContent = text; }

    function showSelected(markdown) {
      if (!box) {
        box = document.createElement("textarea");
        box.className = "copy-page-text";
        box.readOnly = true;
        box.rows = 12;
        box.setAttribute("aria-label", button.textContent);
        button.parentNode.insertAdjacentElement("afterend", box);
      }
      box.value = markdown;
      box.focus();
      box.select();
      say(button.getAttribute("data-selected"));
    }

    button.addEventListener("click", function () {
      say("");
      fetch(button.getAttribute("data-markdown"), { headers: { Accept: "text/markdown" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.text();
        })
        .then(function (markdown) {
          var copying = navigator.clipboard && navigator.clipboard.writeText
            ? navigator.clipboard.writeText(markdown) : Promise.reject(new Error("no clipboard"));
          return copying.then(function () { say(button.getAttribute("data-copied")); }, function () { showSelected(markdown); });
        })
        .catch(function () { say(button.getAttribute("data-failed")); });
    });
    button.hidden = false;
  });
})();
