// The two globals CKAN's DataTables view module reads (gdataDict: the data dictionary,
// gresviewId: the view id), from the JSON block before this script — CKAN writes them in
// an inline script, which the portal's Content-Security-Policy does not run.
(function () {
  "use strict";
  var node = document.getElementById("smartcity-datatables-config");
  if (!node) { return; }
  var config = JSON.parse(node.textContent);
  window.gdataDict = config.dict;
  window.gresviewId = config.view;
}());
