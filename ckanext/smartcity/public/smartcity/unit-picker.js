// The commune picker of the dataset form (templates/scheming/form_snippets/
// smartcity_admin_units.html): search without diacritics, pre-2025 units on request,
// "whole city" selects every current commune-level unit. Selected units always show.
(function () {
  "use strict";
  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function setUp(picker) {
    var select = document.getElementById(picker.getAttribute("data-smartcity-unit-picker"));
    var tools = picker.querySelector(".smartcity-unit-picker-tools");
    var search = picker.querySelector(".smartcity-unit-search");
    var historical = picker.querySelector(".smartcity-unit-historical");
    var wholeCity = picker.querySelector(".smartcity-unit-whole-city");
    var count = picker.querySelector(".smartcity-unit-count");
    var options = Array.prototype.slice.call(select.options);
    var communes = options.filter(function (o) {
      return o.dataset.current === "true" && o.dataset.level === "commune";
    });
    tools.hidden = false;
    if (options.some(function (o) { return o.selected && o.dataset.current !== "true"; })) {
      historical.checked = true;  // an old unit is already chosen: show the old structure
    }
    function refresh() {
      var needle = fold(search.value.trim());
      options.forEach(function (o) {
        var period = o.dataset.current === "true" || historical.checked;
        var match = !needle || o.dataset.search.indexOf(needle) !== -1;
        o.hidden = !(o.selected || (period && match));
      });
      var n = options.filter(function (o) { return o.selected; }).length;
      wholeCity.checked = communes.length > 0 && communes.every(function (o) { return o.selected; });
      count.textContent = count.getAttribute(
        count.dataset.lang === "en" ? "data-template-en" : "data-template-vi").replace("{n}", n);
    }
    search.addEventListener("input", refresh);
    historical.addEventListener("change", refresh);
    select.addEventListener("change", refresh);
    wholeCity.addEventListener("change", function () {
      communes.forEach(function (o) { o.selected = wholeCity.checked; });
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    refresh();
  }
  function start() {
    document.querySelectorAll("[data-smartcity-unit-picker]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
