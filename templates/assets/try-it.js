// Redline "Try it": under each operation of an API reference page, a form that sends the request
// from the reader's browser to a server the site allows (site.yaml docs.tryIt), prefilled from
// the OpenAPI examples, and shows the answer. The key or token typed in stays in this page's
// memory: it is never stored, and it goes only to the server picked, in the request. The page's
// Content-Security-Policy lets the browser connect to those servers and nowhere else.
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var counter = 0;

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function field(form, label, input, hint) {
    var id = "try-it-" + (++counter);
    input.id = id;
    var row = element("p", { "class": "try-it-field" });
    row.appendChild(element("label", { "for": id }, label));
    row.appendChild(input);
    if (hint) row.appendChild(element("span", { "class": "try-it-hint" }, hint));
    form.appendChild(row);
    return input;
  }

  function textInput(value, type) {
    return element("input", { type: type || "text", value: value || "", autocomplete: "off", spellcheck: "false" });
  }

  // Where the console goes: after the operation's example request (its code tabs), else after its heading.
  function anchorFor(heading) {
    for (var node = heading.nextElementSibling; node && node.tagName !== "H2"; node = node.nextElementSibling) {
      if (node.classList.contains("code-tabs")) return node;
    }
    return heading;
  }

  function pretty(text) {
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
  }

  function build(operation, servers) {
    var heading = document.getElementById(operation.anchor);
    if (!heading) return;
    var panel = element("details", { "class": "try-it" });
    panel.appendChild(element("summary", {}, "Try it: " + operation.method + " " + operation.path));
    var form = element("form", { "class": "try-it-form", novalidate: "" });
    var server = element("select");
    servers.forEach(function (url) { server.appendChild(element("option", { value: url }, url)); });
    field(form, "Server", server);
    var inputs = operation.parameters.map(function (parameter) {
      var input = field(form, parameter.name + " (" + parameter.location + (parameter.required ? ", required" : "") + ")",
                        textInput(parameter.required ? parameter.example : ""), parameter.required ? "" : "e.g. " + parameter.example);
      return { parameter: parameter, input: input };
    });
    var secrets = {};
    operation.credentials.forEach(function (credential) {
      if (credential === "basic") {
        secrets.username = field(form, "Username", textInput(""));
        secrets.password = field(form, "Password", textInput("", "password"), "kept in this page only");
      } else {
        secrets[credential] = field(form, credential === "bearer" ? "Token" : credential.slice(7),
                                    textInput("", "password"), "kept in this page only, sent only to the server above");
      }
    });
    var body = null;
    if (operation.body !== null && operation.body !== undefined) {
      body = field(form, "Body (" + (operation.contentType || "application/json") + ")", element("textarea", { rows: "10", spellcheck: "false" }));
      body.value = operation.body;
    }
    var send = element("button", { type: "submit" }, "Send request");
    form.appendChild(element("p")).appendChild(send);
    var answer = element("div", { "class": "try-it-response", role: "status", "aria-live": "polite" });
    form.appendChild(answer);
    panel.appendChild(form);
    var after = anchorFor(heading);
    after.parentNode.insertBefore(panel, after.nextSibling);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var path = operation.path, query = [], headers = {};
      inputs.forEach(function (item) {
        var value = item.input.value;
        if (item.parameter.location === "path") path = path.split("{" + item.parameter.name + "}").join(encodeURIComponent(value));
        else if (value === "") return;
        else if (item.parameter.location === "query") query.push(encodeURIComponent(item.parameter.name) + "=" + encodeURIComponent(value));
        else if (item.parameter.location === "header") headers[item.parameter.name] = value;
      });
      operation.credentials.forEach(function (credential) {
        if (credential === "bearer") headers.Authorization = "Bearer " + secrets.bearer.value;
        else if (credential === "basic") headers.Authorization = "Basic " + btoa(secrets.username.value + ":" + secrets.password.value);
        else headers[credential.slice(7)] = secrets[credential].value;
      });
      var init = { method: operation.method, headers: headers, credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer" };
      if (body) { headers["Content-Type"] = operation.contentType || "application/json"; init.body = body.value; }
      var url = server.value.replace(/\/+$/, "") + path + (query.length ? "?" + query.join("&") : "");
      send.disabled = true;
      answer.textContent = "Sending…";
      fetch(url, init).then(function (response) {
        return response.text().then(function (text) {
          answer.textContent = "";
          answer.appendChild(element("p", { "class": "try-it-status" }, response.status + " " + response.statusText));
          answer.appendChild(element("pre", { tabindex: "0" })).appendChild(element("code", {}, pretty(text)));
        });
      }, function () {
        answer.textContent = "The request did not reach " + server.value + ", or its answer was not shared with this page "
          + "(the API must allow this site's origin in its CORS headers).";
      }).then(function () { send.disabled = false; });
    });
  }

  fetch(script.getAttribute("data-operations"), { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) { data.operations.forEach(function (operation) { build(operation, data.servers); }); })
    .catch(function () { /* without the data the page is the reference it always was */ });
})();
