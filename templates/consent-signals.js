// Redline's consent signals: the first script of every page. The build calls this function with
// the site's configuration and writes the result to consent/signals.js, so that it runs
// synchronously, before any tag:
//
// - Google Consent Mode v2: `gtag('consent', 'default', …)` for all seven signals, per region
//   when site.yaml maps regions to modes, with `wait_for_update`; a returning visitor's stored
//   choice as an update at once; Google's tag loaded at once (advanced mode) or only when a
//   category it serves is granted (basic mode). The banner calls `redlineSignals.update` on
//   every choice after that.
// - IAB's Global Privacy Platform CMP API (`__gpp`: ping, addEventListener, removeEventListener,
//   hasSection, getSection, getField), with the US National (`usnat`, version 2) section for
//   visitors under a US opt-out law, kept in step with every choice and Global Privacy Control.
//   Redline is not a registered CMP: `cmpId` is 0. IAB TCF is not offered (README.md says why).
function (config) {
  "use strict";

  var SIGNALS = ["ad_storage", "ad_user_data", "ad_personalization", "analytics_storage",
                 "functionality_storage", "personalization_storage", "security_storage"];
  var consentMode = config.consentMode;
  var gpc = typeof navigator !== "undefined" && navigator.globalPrivacyControl === true;

  // ---- what a mode grants before any choice ------------------------------------------------

  // Opt-in: only what is required. Opt-out and notice: everything until the person says no,
  // except what Global Privacy Control already refuses.
  function defaultGranted(mode) {
    return config.categories.filter(function (category) {
      if (category.required) return true;
      if (mode === "opt-in") return false;
      return !(gpc && category.gpc);
    }).map(function (category) { return category.id; });
  }

  // A choice as Consent Mode states: a signal is granted when every category mapped to it is.
  function signalState(granted) {
    var state = {};
    SIGNALS.forEach(function (signal) {
      var needs = (consentMode.signals || {})[signal] || [];
      state[signal] = needs.length > 0 && needs.every(function (id) { return granted.indexOf(id) >= 0; }) ? "granted" : "denied";
    });
    state.security_storage = "granted";
    return state;
  }

  // ---- Google Consent Mode -------------------------------------------------------------------

  var tagLoaded = false;

  function gtag() { window.dataLayer.push(arguments); }

  function setDefaults() {
    window.dataLayer = window.dataLayer || [];
    if (typeof window.gtag !== "function") window.gtag = gtag;
    var regions = config.regions;
    if (regions) {
      var byMode = {};
      Object.keys(regions.modes).sort().forEach(function (code) {
        (byMode[regions.modes[code]] = byMode[regions.modes[code]] || []).push(code);
      });
      ["opt-in", "opt-out", "notice"].forEach(function (mode) {
        if (!byMode[mode]) return;
        var state = signalState(defaultGranted(mode));
        state.wait_for_update = consentMode.waitForUpdate;
        state.region = byMode[mode];
        window.gtag("consent", "default", state);
      });
    }
    // Everywhere the regions do not name (and everywhere, without regions).
    var fallback = signalState(defaultGranted(regions ? regions.elsewhere : "opt-in"));
    fallback.wait_for_update = consentMode.waitForUpdate;
    window.gtag("consent", "default", fallback);
    if (consentMode.adsDataRedaction) window.gtag("set", "ads_data_redaction", true);
    if (consentMode.urlPassthrough) window.gtag("set", "url_passthrough", true);
  }

  function loadTag() {
    if (tagLoaded || !consentMode.tag) return;
    tagLoaded = true;
    var script = document.createElement("script");
    script.async = true;
    script.src = consentMode.tagURL + (consentMode.tagURL.indexOf("?") < 0 ? "?" : "&") + "id=" + encodeURIComponent(consentMode.tag);
    document.head.appendChild(script);
    window.gtag("js", new Date());
    window.gtag("config", consentMode.tag);
  }

  // A returning visitor's choice, from the banner's cookie, so that Google's tags get it at once
  // rather than after the banner has loaded. Global Privacy Control still refuses its categories.
  function storedChoice() {
    var prefix = config.cookie + "=";
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      if (parts[i].indexOf(prefix) !== 0) continue;
      try {
        var state = JSON.parse(decodeURIComponent(parts[i].slice(prefix.length)));
        if (!state || !Array.isArray(state.granted) || state.method === "notice") return null;
        return state.granted.filter(function (id) {
          return !(gpc && config.categories.some(function (c) { return c.id === id && c.gpc; }));
        });
      } catch (error) { return null; }
    }
    return null;
  }

  // Basic mode holds Google's tag back until a category it measures or advertises with is granted.
  function tagMayLoad(state) {
    return consentMode.mode === "advanced" || state.analytics_storage === "granted" || state.ad_storage === "granted";
  }

  // ---- GPP strings (Core and US National specifications) --------------------------------------

  var BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var USNAT = 7;

  function int(value, width) {
    var bits = value.toString(2);
    while (bits.length < width) bits = "0" + bits;
    return bits;
  }

  // Fibonacci coding: a 1 for each of 1, 2, 3, 5, 8 … in the sum, ended by an extra 1.
  function fibonacci(value) {
    var numbers = [1, 2];
    while (numbers[numbers.length - 1] <= value) numbers.push(numbers[numbers.length - 1] + numbers[numbers.length - 2]);
    var used = [];
    var rest = value;
    for (var i = numbers.length - 1; i >= 0; i--) {
      if (numbers[i] <= rest) { used[i] = "1"; rest -= numbers[i]; } else used[i] = "0";
    }
    return used.join("").replace(/0+$/, "") + "1";
  }

  // Bits to base64url: padded with zeros to whole bytes, as IAB's own library writes them.
  function encode(bits) {
    while (bits.length % 8) bits += "0";
    while (bits.length % 6) bits += "0";
    var text = "";
    for (var i = 0; i < bits.length; i += 6) text += BASE64URL.charAt(parseInt(bits.slice(i, i + 6), 2));
    return text;
  }

  // The header: type 3, version 1, the section ids as Range(Fibonacci) of single ids.
  function header(ids) {
    var bits = int(3, 6) + int(1, 6) + int(ids.length, 12);
    var last = 0;
    ids.forEach(function (id) { bits += "0" + fibonacci(id - last); last = id; });
    return encode(bits);
  }

  var NOTICES = ["SharingNotice", "SaleOptOutNotice", "SharingOptOutNotice", "TargetedAdvertisingOptOutNotice",
                 "SensitiveDataProcessingOptOutNotice", "SensitiveDataLimitUseNotice"];
  var OPT_OUTS = ["SaleOptOut", "SharingOptOut", "TargetedAdvertisingOptOut"];
  var MSPA = ["MspaCoveredTransaction", "MspaOptOutOptionMode", "MspaServiceProviderMode"];

  function usnatString(fields) {
    var bits = int(fields.Version, 6);
    NOTICES.concat(OPT_OUTS).forEach(function (name) { bits += int(fields[name], 2); });
    fields.SensitiveDataProcessing.forEach(function (value) { bits += int(value, 2); });
    fields.KnownChildSensitiveDataConsents.forEach(function (value) { bits += int(value, 2); });
    bits += int(fields.PersonalDataConsents, 2);
    MSPA.forEach(function (name) { bits += int(fields[name], 2); });
    return encode(bits) + "." + encode(int(fields.GpcSegmentType, 2) + (fields.Gpc ? "1" : "0"));
  }

  // The categories marked `gpc` are the ones that sell, share or target ads: refusing any of them
  // is the opt-out the section reports (1 opted out, 2 did not; 0 where nothing is sold).
  function usnatFields(granted) {
    var selling = config.categories.filter(function (category) { return category.gpc; });
    var optedOut = selling.some(function (category) { return granted.indexOf(category.id) < 0; });
    var fields = { Version: 2 };
    NOTICES.forEach(function (name, index) { fields[name] = index < 4 && selling.length ? 1 : 0; });
    fields.SharingNotice = 1;
    OPT_OUTS.forEach(function (name) { fields[name] = selling.length ? (optedOut ? 1 : 2) : 0; });
    fields.SensitiveDataProcessing = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    fields.KnownChildSensitiveDataConsents = [0, 0, 0];
    fields.PersonalDataConsents = 0;
    fields.MspaCoveredTransaction = 2;
    fields.MspaOptOutOptionMode = 0;
    fields.MspaServiceProviderMode = 0;
    fields.GpcSegmentType = 1;
    fields.GpcSegmentIncluded = true;
    fields.Gpc = gpc;
    return fields;
  }

  // ---- the __gpp API ---------------------------------------------------------------------------

  var visitor = null;
  var section = null;
  var displayStatus = "hidden";
  var listeners = [];
  var nextListener = 1;

  // usnat applies to a visitor under an opt-out law in the US, or of unknown place on a site
  // whose strictest rule is opt-out (a US-only site).
  function usnatApplies() {
    return Boolean(visitor && visitor.mode === "opt-out" && (!visitor.region || /^US(-|$)/.test(visitor.region)));
  }

  function gppString() {
    return section ? header([USNAT]) + "~" + usnatString(section) : header([]);
  }

  function pingData() {
    return {
      gppVersion: "1.1", cmpStatus: "loaded", cmpDisplayStatus: displayStatus,
      signalStatus: visitor ? "ready" : "not ready", supportedAPIs: [USNAT + ":usnat"], cmpId: 0,
      sectionList: section ? [USNAT] : [], applicableSections: section ? [USNAT] : [-1],
      gppString: gppString(), parsedSections: section ? { usnat: section } : {}
    };
  }

  function emit(eventName, data) {
    listeners.forEach(function (listener) {
      listener.callback({ eventName: eventName, listenerId: listener.id, data: data, pingData: pingData() }, true);
    });
  }

  function gppAPI(command, callback, parameter) {
    if (typeof callback !== "function") return;
    switch (command) {
      case "ping": return callback(pingData(), true);
      case "addEventListener":
        var id = nextListener++;
        listeners.push({ id: id, callback: callback });
        return callback({ eventName: "listenerRegistered", listenerId: id, data: true, pingData: pingData() }, true);
      case "removeEventListener":
        var before = listeners.length;
        listeners = listeners.filter(function (listener) { return listener.id !== parameter; });
        return callback({ eventName: "listenerRemoved", listenerId: parameter, data: listeners.length < before, pingData: pingData() }, true);
      case "hasSection": return callback(Boolean(section) && (parameter === "usnat" || parameter === USNAT), true);
      case "getSection": return callback(section && parameter === "usnat" ? section : null, true);
      case "getField":
        var parts = String(parameter || "").split(".");
        return callback(section && parts[0] === "usnat" && parts[1] in section ? section[parts[1]] : null, true);
      default: return callback(null, false);
    }
  }

  // Frames find the CMP by the `__gppLocator` frame and call it with postMessage.
  function listenForFrames() {
    window.addEventListener("message", function (event) {
      var call = event.data && event.data.__gppCall;
      if (!call || !event.source) return;
      gppAPI(call.command, function (returnValue, success) {
        event.source.postMessage({ __gppReturn: { returnValue: returnValue, success: success, callId: call.callId } }, "*");
      }, call.parameter);
    });
    function addLocator() {
      if (document.querySelector("iframe[name='__gppLocator']")) return;
      var frame = document.createElement("iframe");
      frame.name = "__gppLocator";
      frame.title = "";
      frame.hidden = true;
      frame.setAttribute("aria-hidden", "true");
      document.body.appendChild(frame);
    }
    if (document.body) addLocator(); else document.addEventListener("DOMContentLoaded", addLocator);
  }

  // ---- what the banner calls -------------------------------------------------------------------

  var signals = {
    defaultGranted: defaultGranted,
    // The visitor's region and mode, once the banner knows them (from the server, else the strictest).
    setVisitor: function (region, mode) {
      visitor = { region: region || null, mode: mode };
      emit("signalStatus", "ready");
    },
    // A choice (or a mode's default, or a stored choice): tells Google's tags and the GPP section.
    // Returns the GPP string that now describes the person, for the consent record.
    update: function (granted) {
      if (consentMode) {
        var state = signalState(granted);
        window.gtag("consent", "update", state);
        if (tagMayLoad(state)) loadTag();
      }
      section = usnatApplies() ? usnatFields(granted) : null;
      emit("sectionChange", "usnat");
      return section ? gppString() : null;
    },
    display: function (visible) {
      displayStatus = visible ? "visible" : "hidden";
      emit("cmpDisplayStatus", displayStatus);
    },
    gppString: gppString,
    // For tests under Node: the encoders alone.
    encoders: { header: header, usnat: usnatString, usnatFields: usnatFields, fibonacci: fibonacci }
  };

  if (typeof window === "undefined") return signals;
  window.redlineSignals = signals;
  window.__gpp = gppAPI;
  listenForFrames();
  if (consentMode) {
    setDefaults();
    var stored = storedChoice();
    if (stored) window.gtag("consent", "update", signalState(stored));
    if (consentMode.mode === "advanced" || (stored && tagMayLoad(signalState(stored)))) loadTag();
  }
  return signals;
}
