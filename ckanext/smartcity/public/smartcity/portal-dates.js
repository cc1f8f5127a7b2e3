/* CKAN's main script rewrites every `.automatic-local-datetime` in the browser's time
   zone and moment's long format ("8 tháng 12 năm 2026, 14:05 (UTC+00:00)" on a machine in
   UTC). The portal's pages already print dd/mm/yyyy in Asia/Ho_Chi_Minh (dates.py): keep
   that text. Loaded with defer, so it runs before CKAN's handler (on DOM ready). */
(function () {
  'use strict';
  var stamps = document.querySelectorAll('.automatic-local-datetime');
  Array.prototype.forEach.call(stamps, function (el) {
    el.classList.remove('automatic-local-datetime');
    el.classList.add('smartcity-datetime');
  });
}());
