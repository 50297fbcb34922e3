// Redline cookie banner. Plain JavaScript, no framework, no build step.
//
// Asks once; asks again only when a material version of a policy it covers has taken
// effect since the stored choice, or the choice expired. Every choice is posted to the
// consent API, which keeps it as evidence tied to the exact policy versions in force.
// Honours Global Privacy Control: categories marked `gpc` are denied without asking.
//
// How it asks follows the law where the visitor is (site.yaml `consent.regions`; the server says
// which mode applies, a static host gets the strictest): opt-in shows the banner; opt-out shows
// none, runs the optional categories until the person opts out on "Your Privacy Choices", and
// applies Global Privacy Control as an opt-out; notice only informs. Every choice goes to
// consent/signals.js too, which tells Google Consent Mode and IAB's `__gpp` API.
//
// It also holds back what it asks about: `<script type="text/plain" data-category="analytics"
// data-src="https://…">` runs, and `<iframe data-category="video" data-src="https://…" title="…">`
// loads, only once that category is granted (an iframe shows a placeholder that offers to allow
// it until then). Refusing or withdrawing a category deletes the cookies site.yaml declares for
// it that this page can reach. Every word comes from site.yaml in the page's language.
(function (rule) {
  "use strict";

  var script = document.currentScript;
  var configURL = script && script.getAttribute("data-config");
  if (!configURL || !window.fetch || !window.JSON) return;

  var config = null;
  var locale = null;
  // The visitor's region and mode: { region, mode }.
  var visitor = { region: null, mode: "opt-in" };
  var dialog = null;
  var returnFocusTo = null;
  var gpc = navigator.globalPrivacyControl === true;

  // ---- the first-party cookie ------------------------------------------------------

  function readCookie() {
    var prefix = config.cookie.name + "=";
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      if (parts[i].indexOf(prefix) === 0) {
        try {
          var value = JSON.parse(decodeURIComponent(parts[i].slice(prefix.length)));
          if (value && typeof value.subject === "string" && value.versions) return value;
        } catch (error) { /* a damaged cookie counts as no choice */ }
      }
    }
    return null;
  }

  function writeCookie(state) {
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = config.cookie.name + "=" + encodeURIComponent(JSON.stringify(state)) +
      "; Path=" + config.cookie.path + "; Max-Age=" + config.cookie.maxAgeDays * 86400 + "; SameSite=Lax" + secure;
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // ---- what needs asking -----------------------------------------------------------

  // The reader's date, in UTC like the effective dates: a version takes effect on its day
  // even if the site was built before it.
  function today() {
    return new Date().toISOString().slice(0, 10);
  }

  function currentVersion(doc) {
    return rule.currentVersion(doc, today());
  }

  function changesSince(state) {
    var changes = [];
    config.documents.forEach(function (doc) {
      rule.changesSince(doc, state.versions[doc.id], today()).forEach(function (version) {
        changes.push({ doc: doc, version: version });
      });
    });
    return changes;
  }

  function coversEveryDocument(state) {
    return config.documents.every(function (doc) { return Boolean(state.versions[doc.id]); });
  }

  // ---- words, in the page's language -------------------------------------------------

  // The locale of config.text that best fits <html lang>: the same tag, else the same language,
  // else the site's own language.
  function pickLocale() {
    var wanted = (document.documentElement.lang || "").toLowerCase();
    var locales = Object.keys(config.text || {});
    var exact = locales.filter(function (l) { return l.toLowerCase() === wanted; })[0];
    var language = locales.filter(function (l) { return l.toLowerCase().split("-")[0] === wanted.split("-")[0]; })[0];
    return exact || language || (config.text && config.text[config.notice.locale] ? config.notice.locale : locales[0]);
  }

  // A word of the banner with its {placeholders} filled in.
  function t(key, values) {
    var words = (config.text && config.text[locale]) || {};
    var text = words[key] !== undefined ? words[key] : key;
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
    return text;
  }

  function categoryText(category, field) {
    var translated = config.categoryText && config.categoryText[locale] && config.categoryText[locale][category.id];
    return (translated && translated[field]) || category[field];
  }

  // ---- what the choice gates: scripts, iframes and cookies of each category ------------

  function categoryById(id) {
    return config.categories.filter(function (c) { return c.id === id; })[0];
  }

  // Runs gated scripts and loads gated iframes of granted categories; unloads the iframes of
  // refused ones and puts a placeholder in their place.
  function applyGates(granted) {
    Array.prototype.forEach.call(document.querySelectorAll("script[type='text/plain'][data-category][data-src]"), function (inert) {
      if (granted.indexOf(inert.getAttribute("data-category")) < 0) return;
      var live = document.createElement("script");
      Array.prototype.forEach.call(inert.attributes, function (attribute) {
        if (["type", "data-src", "data-type"].indexOf(attribute.name) < 0) live.setAttribute(attribute.name, attribute.value);
      });
      if (inert.getAttribute("data-type")) live.type = inert.getAttribute("data-type");
      live.src = inert.getAttribute("data-src");
      inert.parentNode.replaceChild(live, inert);
    });
    Array.prototype.forEach.call(document.querySelectorAll("iframe[data-category][data-src]"), function (frame) {
      var id = frame.getAttribute("data-category");
      var previous = frame.previousElementSibling;
      var placeholder = previous && previous.classList.contains("consent-placeholder") ? previous : null;
      if (granted.indexOf(id) >= 0) {
        if (frame.getAttribute("src") !== frame.getAttribute("data-src")) frame.setAttribute("src", frame.getAttribute("data-src"));
        frame.hidden = false;
        if (placeholder) placeholder.remove();
      } else {
        if (frame.hasAttribute("src")) frame.setAttribute("src", "about:blank");
        frame.hidden = true;
        if (!placeholder) frame.parentNode.insertBefore(makePlaceholder(frame, id), frame);
      }
    });
  }

  function makePlaceholder(frame, id) {
    var category = categoryById(id);
    var label = category ? categoryText(category, "label") : id;
    var host = "";
    try { host = new URL(frame.getAttribute("data-src"), location.href).host; } catch (error) { /* shown without a host */ }
    var box = element("div", { "class": "consent-placeholder", role: "group", "aria-label": frame.title || host });
    box.appendChild(element("p", {}, t("blocked", { title: frame.title || host, category: label })));
    var allow = element("button", { type: "button", "class": "consent-allow" }, t("allow", { category: label }));
    if (!category || (gpc && category.gpc)) {
      allow.disabled = true;
      if (category) box.appendChild(element("p", { "class": "consent-gpc" }, t("offByGPC")));
    }
    allow.addEventListener("click", function () {
      var state = readCookie();
      var ids = state ? state.granted.slice() : [];
      if (ids.indexOf(id) < 0) ids.push(id);
      finish("custom", ids);
    });
    box.appendChild(allow);
    return box;
  }

  // Deletes the declared first-party cookies of every refused category, on this host and the
  // domains above it (where a script may have set them), at the root path.
  function deleteRefusedCookies(denied) {
    var names = document.cookie ? document.cookie.split("; ").map(function (part) { return part.split("=")[0]; }) : [];
    var host = location.hostname;
    var domains = [""];
    var parts = host.split(".");
    for (var i = 0; i < parts.length - 1; i++) domains.push("; Domain=" + parts.slice(i).join("."));
    denied.forEach(function (id) {
      var category = categoryById(id);
      (category && category.cookies || []).forEach(function (cookie) {
        // A third party's cookie (another site's domain) is out of the page's reach.
        var domain = cookie.domain ? cookie.domain.replace(/^\./, "") : host;
        if (domain !== host && host.slice(-domain.length - 1) !== "." + domain) return;
        var pattern = new RegExp("^" + cookie.name.split("*").map(function (piece) {
          return piece.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
        }).join(".*") + "$");
        names.forEach(function (name) {
          if (!pattern.test(name) || name === config.cookie.name) return;
          domains.forEach(function (domain) {
            document.cookie = name + "=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT" + domain;
          });
        });
      });
    });
  }

  // ---- recording -------------------------------------------------------------------

  function decide(method, grantedIds) {
    var granted = [];
    var denied = [];
    config.categories.forEach(function (category) {
      var allowed = category.required || (grantedIds.indexOf(category.id) >= 0 && !(gpc && category.gpc));
      (allowed ? granted : denied).push(category.id);
    });
    var previous = readCookie();
    var versions = {};
    config.documents.forEach(function (doc) { versions[doc.id] = currentVersion(doc); });
    var state = {
      subject: previous ? previous.subject : randomId(),
      versions: versions, granted: granted, denied: denied, method: method,
      notice: config.notice.version, receipt: null, pendingKey: randomId()
    };
    state.gpp = announce(state);
    writeCookie(state);
    return send(state);
  }

  function payload(state) {
    return {
      subject: state.subject,
      granted: state.granted,
      denied: state.denied,
      method: state.method,
      policies: Object.keys(state.versions).map(function (id) {
        // A reader of a translation agreed to that text: the record names its language, and the
        // server its SHA-256.
        var doc = config.documents.filter(function (d) { return d.id === id; })[0];
        var locales = (doc && doc.translations && doc.translations[state.versions[id]]) || [];
        var reference = { id: id, version: state.versions[id] };
        var shown = document.documentElement.lang;
        if (locales.indexOf(shown) >= 0) reference.locale = shown;
        return reference;
      }),
      notice: { version: config.notice.version, locale: locale },
      gpp: state.gpp || null,
      idempotencyKey: state.pendingKey
    };
  }

  // Posts the choice; a choice that could not be sent keeps its idempotency key in the
  // cookie and is sent again on the next page, so the server records it exactly once.
  function send(state) {
    return fetch(config.api, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(payload(state))
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) {
          // A refusal the server will repeat (a 4xx other than "too many") is not retried.
          if (response.status >= 400 && response.status < 500 && response.status !== 429) {
            delete state.pendingKey;
            writeCookie(state);
          }
          throw new Error(body.error && body.error.message ? body.error.message : "HTTP " + response.status);
        }
        state.receipt = body.receiptId;
        delete state.pendingKey;
        writeCookie(state);
        return { saved: true, receipt: body.receiptId };
      });
    }).catch(function (error) {
      return { saved: false, reason: error.message };
    });
  }

  // Lets the site's own scripts, Google Consent Mode and GPP (through consent/signals.js) follow
  // the choice. Returns the GPP string that now describes the person, if one applies.
  function announce(state) {
    window.redlineConsent.granted = state.granted.slice();
    window.redlineConsent.denied = state.denied.slice();
    applyGates(state.granted);
    deleteRefusedCookies(state.denied);
    var gpp = window.redlineSignals ? window.redlineSignals.update(state.granted) : null;
    window.dispatchEvent(new CustomEvent("redline:consent", { detail: { granted: state.granted, denied: state.denied } }));
    return gpp;
  }

  // What runs before any choice under an opt-out or notice law: every category but those Global
  // Privacy Control refuses. Nothing is recorded: nobody decided anything.
  function applyDefaults() {
    var granted = config.categories.filter(function (category) {
      return category.required || (visitor.mode !== "opt-in" && !(gpc && category.gpc));
    }).map(function (category) { return category.id; });
    window.redlineConsent.granted = granted;
    window.redlineConsent.denied = config.categories.map(function (c) { return c.id; })
      .filter(function (id) { return granted.indexOf(id) < 0; });
    applyGates(granted);
    if (window.redlineSignals) window.redlineSignals.update(granted);
    return granted;
  }

  // Counts, without anything about the person, that the banner or a notice was shown: the
  // interaction rate's denominator. The server adds the day, region and mode.
  function reportShown() {
    if (!navigator.sendBeacon || !config.impressions) return;
    try {
      navigator.sendBeacon(config.impressions, new Blob([JSON.stringify({ notice: config.notice.version })], { type: "application/json" }));
    } catch (error) { /* a count lost is not worth an error */ }
  }

  // ---- the dialog ------------------------------------------------------------------

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function formatDay(day) {
    try {
      return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(day + "T00:00:00Z"));
    } catch (error) { return day; }
  }

  function buildDialog(state, changes) {
    var root = element("div", { "class": "consent", role: "dialog", "aria-modal": "true",
                                "aria-labelledby": "consent-title", "aria-describedby": "consent-message" });
    // The panel takes focus first, so neither "Accept all" nor "Reject all" starts out highlighted.
    var panel = element("div", { "class": "consent-panel", tabindex: "-1" });
    root.appendChild(panel);
    panel.appendChild(element("h2", { id: "consent-title" }, t("title")));

    changes.forEach(function (change) {
      var notice = element("p", { "class": "consent-change" },
        t("changed", { document: change.doc.title, date: formatDay(change.version.version) }) + " ");
      var translated = change.version.translatedChangesUrls || {};
      notice.appendChild(element("a", { href: translated[document.documentElement.lang] || change.version.changesUrl }, t("readChanges")));
      notice.appendChild(document.createTextNode(t("chooseAgain")));
      panel.appendChild(notice);
    });

    panel.appendChild(element("p", { id: "consent-message" }, t("message")));
    if (config.documents.length) {
      var links = element("p", { "class": "consent-links" }, t("readOur") + " ");
      config.documents.forEach(function (doc, index) {
        if (index > 0) links.appendChild(document.createTextNode(index === config.documents.length - 1 ? " " + t("and") + " " : ", "));
        links.appendChild(element("a", { href: doc.url }, doc.title));
      });
      links.appendChild(document.createTextNode("."));
      panel.appendChild(links);
    }

    var choices = categoryFieldset(state ? state.granted : [], "consent-");
    choices.id = "consent-choices";
    choices.hidden = true;
    panel.appendChild(choices);

    var actions = element("div", { "class": "consent-actions" });
    var accept = element("button", { type: "button", "data-action": "accept-all" }, t("acceptAll"));
    var reject = element("button", { type: "button", "data-action": "reject-all" }, t("rejectAll"));
    var choose = element("button", { type: "button", "data-action": "choose", "aria-expanded": "false",
                                      "aria-controls": "consent-choices" }, t("choose"));
    var save = element("button", { type: "button", "data-action": "custom", hidden: "" }, t("save"));
    [accept, reject, choose, save].forEach(function (button) { actions.appendChild(button); });
    panel.appendChild(actions);

    if (state && state.receipt) {
      panel.appendChild(element("p", { "class": "consent-receipt" }, t("receipt", { receipt: state.receipt })));
    }

    choose.addEventListener("click", function () {
      choices.hidden = false;
      choose.hidden = true;
      save.hidden = false;
      choose.setAttribute("aria-expanded", "true");
      var first = choices.querySelector("input:not([disabled])");
      (first || save).focus();
    });
    accept.addEventListener("click", function () {
      finish("accept-all", config.categories.map(function (c) { return c.id; }));
    });
    reject.addEventListener("click", function () { finish("reject-all", []); });
    save.addEventListener("click", function () { finish("custom", checkedIds(choices)); });
    root.addEventListener("keydown", trapFocus);
    return root;
  }

  // A checkbox per category, ticked for `granted`; required ones and those Global Privacy Control
  // refuses cannot be changed. `prefix` keeps the ids apart where the dialog and the page both have one.
  function categoryFieldset(granted, prefix) {
    var choices = element("fieldset", { "class": "consent-choices" });
    choices.appendChild(element("legend", {}, t("categoriesLegend")));
    config.categories.forEach(function (category) {
      var row = element("div", { "class": "consent-category" });
      var input = element("input", { type: "checkbox", id: prefix + category.id, value: category.id,
                                      "aria-describedby": prefix + category.id + "-description" });
      var lockedByGPC = gpc && category.gpc;
      input.checked = category.required || (!lockedByGPC && granted.indexOf(category.id) >= 0);
      if (category.required || lockedByGPC) input.disabled = true;
      var label = element("label", { "for": prefix + category.id }, categoryText(category, "label"));
      var description = categoryText(category, "description");
      if (category.required) description += " " + t("alwaysOn");
      if (lockedByGPC) description += " " + t("offByGPC");
      if (category.cookies && category.cookies.length) {
        description += " " + t("cookiesUsed", { names: category.cookies.map(function (c) { return c.name; }).join(", ") });
      }
      row.appendChild(input);
      row.appendChild(label);
      row.appendChild(element("p", { id: prefix + category.id + "-description" }, description));
      choices.appendChild(row);
    });
    return choices;
  }

  function checkedIds(fieldset) {
    return Array.prototype.filter.call(fieldset.querySelectorAll("input"), function (input) { return input.checked; })
      .map(function (input) { return input.value; });
  }

  // "Your Privacy Choices": the same choices as the banner's, on a page of their own, with the
  // effective state (an opt-out visitor who never chose has the optional categories on).
  function renderChoicesPage() {
    var host = document.querySelector("[data-privacy-choices]");
    if (!host) return;
    host.textContent = "";
    if (gpc) host.appendChild(element("p", { "class": "consent-gpc-honoured" }, t("gpcHonoured")));
    var choices = categoryFieldset(window.redlineConsent.granted, "choice-");
    host.appendChild(choices);
    var actions = element("div", { "class": "consent-actions" });
    var save = element("button", { type: "button", "data-action": "custom" }, t("save"));
    var refuse = element("button", { type: "button", "data-action": "reject-all" },
                         visitor.mode === "opt-out" ? t("optOut") : t("rejectAll"));
    save.addEventListener("click", function () { finish("custom", checkedIds(choices)); });
    refuse.addEventListener("click", function () { finish("reject-all", []); });
    actions.appendChild(save);
    actions.appendChild(refuse);
    host.appendChild(actions);
  }

  // Keeps Tab and Shift+Tab inside the dialog while it is open.
  function trapFocus(event) {
    if (event.key !== "Tab") return;
    var focusable = Array.prototype.filter.call(
      dialog.querySelectorAll("a[href], button, input, [tabindex]"),
      function (node) { return !node.disabled && !node.closest("[hidden]") && node.tabIndex >= 0; });
    if (!focusable.length) return;
    var index = Array.prototype.indexOf.call(focusable, document.activeElement);
    if (event.shiftKey && index <= 0) {
      event.preventDefault();
      focusable[focusable.length - 1].focus();
    } else if (!event.shiftKey && index === focusable.length - 1) {
      event.preventDefault();
      focusable[0].focus();
    }
  }

  // Focus that lands outside the open dialog (a click on the backdrop, say) goes back into it.
  document.addEventListener("focusin", function (event) {
    if (dialog && !dialog.contains(event.target)) dialog.querySelector(".consent-panel").focus();
  });

  function open(changes) {
    if (dialog) return;
    returnFocusTo = document.activeElement;
    dialog = buildDialog(readCookie(), changes || []);
    document.body.appendChild(dialog);
    document.documentElement.classList.add("consent-open");
    dialog.querySelector(".consent-panel").focus();
    if (window.redlineSignals) window.redlineSignals.display(true);
    reportShown();
  }

  function close() {
    if (!dialog) return;
    dialog.remove();
    dialog = null;
    document.documentElement.classList.remove("consent-open");
    if (window.redlineSignals) window.redlineSignals.display(false);
    var target = returnFocusTo && document.contains(returnFocusTo) ? returnFocusTo : document.getElementById("main");
    if (target && target.focus) target.focus();
  }

  function finish(method, grantedIds) {
    close();
    var pending = decide(method, grantedIds);
    renderChoicesPage();
    showStatus(t("saving"));
    pending.then(report);
  }

  function report(result) {
    showStatus(result.saved ? t("saved", { receipt: result.receipt }) : t("savedLocally", { reason: result.reason }));
  }

  // A polite, dismissible message after saving: not a dialog, so it never blocks the page.
  // `links`, if any, follow the text: [{ href, text }].
  function showStatus(text, links) {
    var status = document.getElementById("consent-status");
    if (!status) {
      status = element("div", { id: "consent-status", "class": "consent-status", role: "status" });
      var message = element("p", { "class": "consent-status-text" });
      var dismiss = element("button", { type: "button", "class": "link-button" }, t("dismiss"));
      dismiss.addEventListener("click", function () { status.remove(); });
      status.appendChild(message);
      status.appendChild(dismiss);
      document.body.appendChild(status);
    }
    var message = status.querySelector(".consent-status-text");
    message.textContent = text;
    (links || []).forEach(function (link) {
      message.appendChild(document.createTextNode(" "));
      message.appendChild(element("a", { href: link.href }, link.text));
    });
  }

  // ---- start -----------------------------------------------------------------------

  // A material change, or a notice, where the law only asks us to inform: said once, without
  // blocking the page; the versions the person was told of are remembered in the cookie.
  function inform(state, changes) {
    // One note for every change (a status shows one message at a time).
    showStatus(changes.map(function (change) {
      return t("changed", { document: change.doc.title, date: formatDay(change.version.version) });
    }).join(" "), changes.map(function (change) {
      var translated = change.version.translatedChangesUrls || {};
      return { href: translated[document.documentElement.lang] || change.version.changesUrl,
               text: t("readChanges") + (changes.length > 1 ? " (" + change.doc.title + ")" : "") };
    }));
    config.documents.forEach(function (doc) { state.versions[doc.id] = currentVersion(doc); });
    writeCookie(state);
    reportShown();
  }

  // Notice mode, first visit: what the site uses, once; the cookie remembers it was shown.
  function acknowledge(granted) {
    var versions = {};
    config.documents.forEach(function (doc) { versions[doc.id] = currentVersion(doc); });
    writeCookie({ subject: randomId(), versions: versions, granted: granted, method: "notice", notice: config.notice.version,
                  denied: config.categories.map(function (c) { return c.id; }).filter(function (id) { return granted.indexOf(id) < 0; }),
                  receipt: null });
    showStatus(t("noticeMessage"), config.documents.map(function (doc) { return { href: doc.url, text: doc.title }; }));
    reportShown();
  }

  function start(loaded, found) {
    config = loaded;
    visitor = found;
    locale = pickLocale();
    if (window.redlineSignals) window.redlineSignals.setVisitor(visitor.region, visitor.mode);
    window.redlineConsent.open = function () { open([]); };
    window.redlineConsent.mode = visitor.mode;
    Array.prototype.forEach.call(document.querySelectorAll("[data-consent-open]"), function (button) {
      button.hidden = false;
      button.textContent = t("settings");
      button.addEventListener("click", function () { open([]); });
    });

    var state = readCookie();
    // Having been informed is no answer where the law asks (a visitor who has travelled).
    if (state && state.method === "notice" && visitor.mode === "opt-in") state = null;
    if (state && gpc && config.categories.some(function (c) { return c.gpc && state.granted.indexOf(c.id) >= 0; })) {
      // Global Privacy Control was switched on after an earlier yes: record the withdrawal.
      decide("gpc", state.granted);
      state = readCookie();
    } else if (state && state.pendingKey && !state.receipt) {
      send(state);
    }
    var granted = state ? (announce(state), state.granted) : applyDefaults();
    renderChoicesPage();
    var changes = state ? changesSince(state) : [];
    if (visitor.mode === "opt-in") {
      if (state && coversEveryDocument(state) && changes.length === 0) return;
      if (!state && gpc) {
        // The browser has already said no to selling and sharing: record that without asking.
        decide("gpc", []).then(function (result) { if (!result.saved) report(result); });
        return;
      }
      open(changes);
    } else if (!state && gpc) {
      // Opt-out law: Global Privacy Control is the opt-out, applied and recorded without asking.
      decide("gpc", granted).then(function (result) { if (!result.saved) report(result); });
      renderChoicesPage();
      showStatus(t("gpcHonoured"), [{ href: config.choicesUrl, text: t("privacyChoices") }]);
      reportShown();
    } else if (!state && visitor.mode === "notice") {
      acknowledge(granted);
    } else if (state && changes.length) {
      inform(state, changes);
    }
  }

  // The mode for this visitor: the server's answer (from the region a trusted proxy saw), else,
  // on a static host or when it cannot be reached, the strictest mode site.yaml configures.
  function findVisitor(loaded) {
    if (!loaded.regions) return Promise.resolve({ region: null, mode: "opt-in" });
    var strictest = { region: null, mode: loaded.regions.strictest };
    return fetch(loaded.regions.api, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : strictest; })
      .then(function (found) { return found && found.mode ? { region: found.region || null, mode: found.mode } : strictest; })
      .catch(function () { return strictest; });
  }

  window.redlineConsent = { granted: [], denied: [], mode: null, open: function () {} };
  fetch(configURL, { credentials: "same-origin" })
    .then(function (response) { if (!response.ok) throw new Error("HTTP " + response.status); return response.json(); })
    .then(function (loaded) { return findVisitor(loaded).then(function (found) { start(loaded, found); }); })
    .catch(function () { /* without its configuration the banner stays away; pages still work */ });
})((function () {
  "use strict";

  // The rule the server's PolicyTimeline decides, for the browser: which version is in force on
  // the reader's day, and which material versions ask again. Apart from the page code so that
  // tests/cases/timeline.json can pin it to the Swift rule (tests run it under Node).
  var rule = {
    // The version in force on `day`: the latest effective date that has come, or what the build saw.
    currentVersion: function (doc, day) {
      var current = doc.current;
      (doc.versions || []).forEach(function (effective) { if (effective <= day && effective > current) current = effective; });
      return current;
    },
    // The announced versions in force on `day` that the agreed version predates; none when nothing was agreed.
    changesSince: function (doc, agreed, day) {
      if (!agreed) return [];
      return doc.material.filter(function (version) {
        return (version.inForce || version.version <= day) && version.version > agreed;
      });
    }
  };
  if (typeof module === "object" && module.exports) module.exports = rule;
  return rule;
})());
