// Copy buttons: <button data-smartcity-copy="ID"> copies the text of element #ID.
// Clipboard API where the page is allowed to use it, else a selection + execCommand.
(function () {
  "use strict";
  function textOf(el) { return el.value !== undefined ? el.value : el.textContent.trim(); }
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
    return Promise.resolve();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-smartcity-copy]");
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-smartcity-copy"));
    if (!source) { return; }
    var text = textOf(source);
    var done = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(text).catch(function () { return fallback(text); })
      : fallback(text);
    done.then(function () {
      button.setAttribute("data-copied", "true");
      var note = button.parentNode.querySelector(".smartcity-copied");
      if (note) { note.hidden = false; }
    });
  });
}());
