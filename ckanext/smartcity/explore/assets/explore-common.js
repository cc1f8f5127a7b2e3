/* Shared by the map and chart views: config, words in both languages, API calls. */
(function (window) {
  "use strict";
  var WORDS = {
    vi: {measure: "Chỉ tiêu", period: "Kỳ", all: "Tất cả", by: "Theo",
         suppressed: "ẩn / suppressed", noData: "không có số liệu / no data",
         cells: "ô bị ẩn", loading: "Đang tải…", city: "Toàn thành phố",
         choose: "chọn một giá trị", commune: "Xã, phường", value: "Giá trị",
         hatchNote: "Ô gạch chéo: số liệu bị ẩn để bảo vệ dữ liệu cá nhân (không phải số 0).",
         inset: "Đặc khu Hoàng Sa"},
    en: {measure: "Measure", period: "Period", all: "All", by: "By",
         suppressed: "suppressed / ẩn", noData: "no data / không có số liệu",
         cells: "suppressed cells", loading: "Loading…", city: "Whole city",
         choose: "choose a value", commune: "Commune", value: "Value",
         hatchNote: "Hatched: value suppressed to protect personal data (not zero).",
         inset: "Hoang Sa special zone"}
  };

  function readConfig() {
    var node = document.getElementById("sc-explore-config");
    return node ? JSON.parse(node.textContent) : null;
  }

  function words(lang) { return WORDS[lang] || WORDS.vi; }

  function format(value, lang) {
    if (value === null || value === undefined) { return ""; }
    return Number(value).toLocaleString(lang === "en" ? "en-GB" : "vi-VN",
                                        {maximumFractionDigits: 2});
  }

  function call(api, action, params) {
    var query = Object.keys(params).filter(function (k) {
      return params[k] !== null && params[k] !== undefined && params[k] !== "";
    }).map(function (k) {
      var v = params[k];
      if (typeof v === "object") { v = JSON.stringify(v); }
      return encodeURIComponent(k) + "=" + encodeURIComponent(v);
    }).join("&");
    return fetch(api + action + "?" + query, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (body) {
        if (!body.success) {
          var err = body.error || {};
          var text = Object.keys(err).filter(function (k) { return k !== "__type"; })
            .map(function (k) { return [].concat(err[k]).join(" "); }).join("; ");
          throw new Error(text || err.message || "error");
        }
        return body.result;
      });
  }

  function select(labelText, name, options, value) {
    var label = document.createElement("label");
    label.textContent = labelText;
    var sel = document.createElement("select");
    sel.name = name;
    sel.id = "sc-" + name.replace(/[^a-zA-Z0-9_-]/g, "_");
    options.forEach(function (o) {
      var opt = document.createElement("option");
      opt.value = o.value; opt.textContent = o.label;
      if (String(o.value) === String(value)) { opt.selected = true; }
      sel.appendChild(opt);
    });
    label.appendChild(sel);
    return {label: label, select: sel};
  }

  function measureLabel(m) {
    if (!m.unit || m.label.indexOf("(" + m.unit + ")") >= 0) { return m.label; }
    return m.label + " (" + m.unit + ")";
  }

  // el("span", {"class": "x"}, [child, "text", …]): every string becomes a text node,
  // so labels, units, values and names from the data never become markup
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) { return; }
      node.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
    });
    return node;
  }

  window.SmartcityExplore = {readConfig: readConfig, words: words, format: format,
                             call: call, select: select, measureLabel: measureLabel, el: el};
})(window);
