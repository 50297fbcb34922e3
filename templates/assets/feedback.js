// Redline "Was this page helpful?": a yes or a no, then perhaps a short comment, sent once to
// the site's server as counts per page. No cookie, no identifier: the answer names the page only.
// Without JavaScript, or where the site is served without `redline serve`, the form stays hidden
// or says it could not send.
(function () {
  "use strict";

  Array.prototype.forEach.call(document.querySelectorAll("form.page-feedback[data-endpoint]"), function (form) {
    var choices = Array.prototype.slice.call(form.querySelectorAll("button[data-helpful]"));
    var more = form.querySelector(".page-feedback-more");
    var comment = form.querySelector("textarea");
    var status = form.querySelector(".page-feedback-status");
    var send = more.querySelector("button[type=submit]");
    var helpful = null;

    choices.forEach(function (button) {
      button.addEventListener("click", function () {
        helpful = button.getAttribute("data-helpful") === "true";
        choices.forEach(function (other) { other.setAttribute("aria-pressed", String(other === button)); });
        more.hidden = false;
        comment.focus();
      });
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (helpful === null) return;
      send.disabled = true;
      var body = { page: form.getAttribute("data-page"), helpful: helpful };
      if (comment.value.trim()) body.comment = comment.value.trim().slice(0, 1000);
      fetch(form.getAttribute("data-endpoint"), {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "omit"
      }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        form.querySelector("fieldset").disabled = true;
        more.hidden = true;
        status.textContent = "Thank you: it helps us improve these docs.";
      }).catch(function () {
        send.disabled = false;
        status.textContent = "Your answer could not be sent. Please try again later.";
      });
    });
    form.hidden = false;
  });
})();
