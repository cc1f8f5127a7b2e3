// The two globals CKAN's DataTables view module reads (gdataDict: the data dictionary,
// gresviewId: the view id), from the JSON block before this script — CKAN writes them in
// an inline script, which the portal's Content-Security-Policy does not run.
(function () {
  "use strict";
  // CKAN's module calls setTimeout(initFilterObserver(), 100): a non-function, which a
  // browser would evaluate as code (refused by the CSP). Timers here take functions only.
  var setTimer = window.setTimeout;
  window.setTimeout = function (fn) {
    if (typeof fn !== "function") { return 0; }
    return setTimer.apply(window, arguments);
  };
  var node = document.getElementById("smartcity-datatables-config");
  if (!node) { return; }
  var config = JSON.parse(node.textContent);
  window.gdataDict = config.dict;
  window.gresviewId = config.view;
}());
