/* smartcity_map: choropleth of one numeric column per commune (Leaflet, no base map).
   Suppressed communes are hatched, never drawn as zero; Hoàng Sa sits in an inset. */
(function (window, document) {
  "use strict";
  var X = window.SmartcityExplore;
  var COLOURS = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"];
  var INSET_CODES = {"20333": true};  // Đặc khu Hoàng Sa, far offshore: drawn in an inset

  function quantileBreaks(values, classes) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    var breaks = [];
    for (var i = 1; i < classes; i++) {
      var b = sorted[Math.min(sorted.length - 1, Math.floor(i * sorted.length / classes))];
      if (breaks.indexOf(b) < 0 && b > sorted[0]) { breaks.push(b); }
    }
    return {min: sorted[0], max: sorted[sorted.length - 1], breaks: breaks};
  }

  function classOf(value, q) {
    var k = 0;
    while (k < q.breaks.length && value >= q.breaks[k]) { k++; }
    return k;
  }

  function addHatch(map, id) {
    var svg = map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("#" + id)) { return; }
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    var pattern = document.createElementNS(ns, "pattern");
    pattern.setAttribute("id", id);
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "6"); pattern.setAttribute("height", "6");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var bg = document.createElementNS(ns, "rect");
    bg.setAttribute("width", "6"); bg.setAttribute("height", "6"); bg.setAttribute("fill", "#fff");
    var line = document.createElementNS(ns, "rect");
    line.setAttribute("width", "2"); line.setAttribute("height", "6"); line.setAttribute("fill", "#666");
    pattern.appendChild(bg); pattern.appendChild(line); defs.appendChild(pattern);
    svg.insertBefore(defs, svg.firstChild);
  }

  function init() {
    var config = X.readConfig();
    var root = document.querySelector(".sc-map-view");
    if (!config || !root) { return; }
    var lang = config.lang, w = X.words(lang), profile = config.profile;
    var state = {column: config.defaults.column, period: config.defaults.period,
                 filters: Object.assign({}, config.defaults.filters)};
    var controls = root.querySelector(".sc-controls");
    controls.addEventListener("submit", function (e) { e.preventDefault(); });  // no inline handler (CSP)
    var legend = root.querySelector(".sc-legend");
    var status = root.querySelector(".sc-status");
    var layers = [];  // [{map, layer, hatch}]
    var data = {};    // code -> properties of the current values

    function measure(id) {
      return profile.measures.filter(function (m) { return m.id === id; })[0];
    }

    function buildControls() {
      controls.textContent = "";
      var m = X.select(w.measure, "column", profile.measures.map(function (m) {
        return {value: m.id, label: X.measureLabel(m)};
      }), state.column);
      controls.appendChild(m.label);
      m.select.addEventListener("change", function () {
        state.column = m.select.value;
        var isCount = measure(state.column).count;
        if (!isCount) {  // a non-count is never summed: every category needs a value
          profile.categories.forEach(function (c) {
            if (!state.filters[c.id]) { state.filters[c.id] = c.values[0].value; }
          });
        }
        buildControls(); refresh();
      });
      if (profile.period && profile.periods.length) {
        var p = X.select(profile.period.label, "period", profile.periods.map(function (v) {
          return {value: v, label: v};
        }), state.period);
        p.select.id = "sc-period";
        controls.appendChild(p.label);
        p.select.addEventListener("change", function () { state.period = p.select.value; refresh(); });
      }
      var isCount = measure(state.column).count;
      profile.categories.forEach(function (c) {
        var options = (isCount ? [{value: "", label: w.all}] : []).concat(
          c.values.map(function (v) { return {value: v.value, label: v.label}; }));
        var s = X.select(c.label, "filter-" + c.id, options, state.filters[c.id] || "");
        s.select.setAttribute("data-category", c.id);
        controls.appendChild(s.label);
        s.select.addEventListener("change", function () {
          if (s.select.value) { state.filters[c.id] = s.select.value; }
          else { delete state.filters[c.id]; }
          refresh();
        });
      });
    }

    function tooltip(code) {  // an element, never HTML: names, label and unit are data
      var d = data[code] || {};
      var m = measure(state.column);
      var name = lang === "en" ? d.name_en : d.name, alt = lang === "en" ? d.name : d.name_en;
      var value;
      if (d.status === "suppressed") {
        value = [X.el("span", {"class": "sc-suppressed"}, [w.suppressed]),
                 " (" + d.suppressed_cells + " " + w.cells + ")"];
      } else if (d.status === "ok") {
        value = [X.el("b", {}, [X.format(d.value, lang)]), m.unit ? " " + m.unit : ""];
      } else {
        value = [X.el("span", {"class": "sc-suppressed"}, [w.noData])];
      }
      return X.el("div", {"class": "sc-tip"}, [
        X.el("div", {"class": "sc-tip-name"}, [name || code]),
        X.el("div", {"class": "sc-tip-alt"}, [alt || ""]),
        X.el("div", {"class": "sc-tip-value"}, [m.label + ": "].concat(value))]);
    }

    function paint(q) {
      layers.forEach(function (entry) {
        addHatch(entry.map, entry.hatch);  // the SVG exists once the map has a view
        entry.layer.eachLayer(function (shape) {
          var code = shape.feature.id, d = data[code] || {status: "no_data"};
          var style = {color: "#555", weight: 0.7, fillOpacity: 0.85, dashArray: null};
          if (d.status === "ok") { style.fillColor = COLOURS[classOf(d.value, q)]; }
          else if (d.status === "suppressed") { style.fillColor = "url(#" + entry.hatch + ")"; }
          else { style.fillColor = "#e3e3e3"; style.dashArray = "3 3"; }
          shape.setStyle(style);
          var el = shape.getElement();
          if (el) {
            el.setAttribute("class", "leaflet-interactive sc-commune sc-status-" + d.status.replace("_", "-"));
            el.setAttribute("data-code", code);
            el.setAttribute("data-status", d.status);
            el.setAttribute("data-value", d.value === null || d.value === undefined ? "" : d.value);
          }
        });
      });
    }

    function drawLegend(q, count) {  // built from nodes: the label and unit are data
      var m = measure(state.column);
      legend.textContent = "";
      legend.appendChild(X.el("div", {"class": "sc-legend-title"},
                              [X.measureLabel(m) + (state.period ? " — " + state.period : "")]));
      if (count) {
        var edges = [q.min].concat(q.breaks).concat([q.max]);
        for (var i = 0; i < edges.length - 1; i++) {
          var swatch = X.el("span", {"class": "sc-swatch"});
          swatch.style.background = COLOURS[i];
          legend.appendChild(X.el("span", {"class": "sc-legend-item sc-legend-class", "data-class": i}, [
            swatch, X.format(edges[i], lang) + " – " + X.format(edges[i + 1], lang)]));
        }
      }
      legend.appendChild(X.el("span", {"class": "sc-legend-item sc-legend-suppressed"}, [
        X.el("span", {"class": "sc-swatch sc-swatch-suppressed"}), w.suppressed]));
      legend.appendChild(X.el("span", {"class": "sc-legend-item sc-legend-nodata"}, [
        X.el("span", {"class": "sc-swatch sc-swatch-nodata"}), w.noData]));
    }

    function refresh() {
      status.textContent = w.loading;
      root.setAttribute("data-loading", "true");
      X.call(config.api, "smartcity_map_data", {
        resource_id: profile.resource_id, column: state.column, period: state.period,
        filters: state.filters, geometry: false
      }).then(function (result) {
        data = {};
        var values = [];
        result.features.forEach(function (f) {
          data[f.id] = f.properties;
          if (f.properties.status === "ok") { values.push(f.properties.value); }
        });
        var q = values.length ? quantileBreaks(values, COLOURS.length) : {breaks: []};
        paint(q); drawLegend(q, values.length);
        status.textContent = "";
        root.setAttribute("data-loading", "false");
        root.setAttribute("data-period", state.period || "");
      }).catch(function (err) {
        status.textContent = "";
        status.appendChild(X.el("span", {"class": "sc-error"}, [err.message]));
        root.setAttribute("data-loading", "false");
      });
    }

    function makeLayer(map, features, hatch) {
      var layer = window.L.geoJSON({type: "FeatureCollection", features: features}, {
        style: {color: "#555", weight: 0.7, fillColor: "#e3e3e3", fillOpacity: 0.85},
        onEachFeature: function (feature, shape) {
          shape.bindTooltip(function () { return tooltip(feature.id); }, {sticky: true});
          shape.on("mouseover", function () { shape.setStyle({weight: 2.5, color: "#000"}); });
          shape.on("mouseout", function () { shape.setStyle({weight: 0.7, color: "#555"}); });
        }
      }).addTo(map);
      layers.push({map: map, layer: layer, hatch: hatch});
      return layer;
    }

    buildControls();
    fetch(config.boundaries_url).then(function (r) { return r.json(); }).then(function (geo) {
      var main = geo.features.filter(function (f) { return !INSET_CODES[f.id]; });
      var inset = geo.features.filter(function (f) { return INSET_CODES[f.id]; });
      var map = window.L.map(root.querySelector(".sc-map"), {zoomSnap: 0.25, attributionControl: true});
      map.attributionControl.setPrefix(false);
      map.attributionControl.addAttribution(config.attribution);
      var mainLayer = makeLayer(map, main, "sc-hatch-main");
      map.fitBounds(mainLayer.getBounds(), {padding: [8, 8]});
      if (inset.length) {
        var box = root.querySelector(".sc-inset");
        var small = window.L.map(box, {zoomControl: false, attributionControl: false,
                                       dragging: false, scrollWheelZoom: false,
                                       doubleClickZoom: false, boxZoom: false, keyboard: false});
        var insetLayer = makeLayer(small, inset, "sc-hatch-inset");
        small.fitBounds(insetLayer.getBounds(), {padding: [4, 4]});
      }
      refresh();
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})(window, document);
