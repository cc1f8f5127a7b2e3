// The inline event handlers of a few CKAN core templates (the resource form's
// Upload / Link / Remove / Clear buttons, the API token checkboxes, DataTables' refit
// button and field list), done from this file: the portal's Content-Security-Policy
// (web_security.py) runs no inline script. Each handler attribute is removed on load
// and the same behaviour is attached here, by event delegation.
(function () {
  "use strict";
  function byId(id) { return document.getElementById(id); }
  function check(id) { var el = byId(id); if (el) { el.checked = true; } }
  function focus(id) { var el = byId(id); if (el) { el.focus(); } }

  function strip() {
    document.querySelectorAll("[onclick],[onchange]").forEach(function (el) {
      el.removeAttribute("onclick");
      el.removeAttribute("onchange");
    });
  }

  function resetFile() {  // what core's "Remove" beside the file input does: empty it
    var input = byId("field-resource-upload");
    if (input) { input.value = ""; }
  }

  document.addEventListener("click", function (event) {
    var el = event.target.closest("button, input");
    if (!el) { return; }
    if (el.id === "resource-upload-button") {
      check("resource-url-upload");
      var file = byId("field-resource-upload");
      if (file) { file.click(); }
    } else if (el.id === "resource-link-button") {
      check("resource-url-link");
      focus("field-resource-url");
    } else if (el.classList.contains("btn-remove-url")) {
      var type = el.closest(".upload-type");
      var before = type && type.previousElementSibling;
      if (before && before.id === "field-clear-upload") {  // "Clear Upload" of a stored file
        check("field-clear-upload");
        focus("field-resource-upload");
        return;
      }
      check("resource-url-none");
      focus(byId("resource-upload-button") ? "resource-upload-button" : "resource-link-button");
      var box = el.closest(".select-type");
      if (box && box.querySelector("#field-resource-upload")) { resetFile(); }
      if (box && box.querySelector("#field-resource-url")) { byId("field-resource-url").value = ""; }
    } else if (el.id === "refit-button" && typeof window.fitColText === "function") {
      window.fitColText();
    } else if (el.id === "field-show_fields_1" && el.hasAttribute("readonly")) {
      event.preventDefault();  // DataTables' _id column is always shown
    }
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.name === "token" && el.type === "checkbox") {
      var revoke = byId("revoke-tokens-button");
      if (revoke) { revoke.disabled = !document.querySelector("[name=token]:checked"); }
    }
  });

  // rows added later (htmx: a new API token) carry the attribute too
  new MutationObserver(function (records) {
    if (records.some(function (r) { return r.addedNodes.length; })) { strip(); }
  }).observe(document.documentElement, {childList: true, subtree: true});
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", strip); }
  else { strip(); }
}());
