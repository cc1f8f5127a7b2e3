/* smartcity_chart: a measure over time (line) or by category (bars), Chart.js.
   Suppressed points are gaps with a hatched band and the word "ẩn", never zero. */
(function (window, document) {
  "use strict";
  var X = window.SmartcityExplore;

  var hatchBands = {  // Chart.js plugin: a hatched band over each suppressed point
    id: "scHatch",
    beforeDatasetsDraw: function (chart, args, options) {
      var flags = options.suppressed || [];
      if (!flags.length) { return; }
      var ctx = chart.ctx, area = chart.chartArea;
      var across = chart.options.indexAxis === "y";  // horizontal bars: bands run across
      var axis = across ? chart.scales.y : chart.scales.x;
      var span = across ? area.bottom - area.top : area.right - area.left;
      var step = flags.length > 1 ? Math.abs(axis.getPixelForValue(1) - axis.getPixelForValue(0))
                                  : span;
      ctx.save();
      ctx.beginPath(); ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top); ctx.clip();
      flags.forEach(function (flag, i) {
        if (!flag) { return; }
        var c = axis.getPixelForValue(i), from = c - step * 0.4, size = step * 0.8;
        var x0 = across ? area.left : from, y0 = across ? from : area.top;
        var w = across ? area.right - area.left : size, h = across ? size : area.bottom - area.top;
        ctx.fillStyle = "rgba(255,255,255,0.9)";
        ctx.fillRect(x0, y0, w, h);
        ctx.save();
        ctx.beginPath(); ctx.rect(x0, y0, w, h); ctx.clip();
        ctx.strokeStyle = "#888"; ctx.lineWidth = 1;
        for (var d = -h; d < w + h; d += 7) {
          ctx.beginPath(); ctx.moveTo(x0 + d, y0 + h); ctx.lineTo(x0 + d + h, y0); ctx.stroke();
        }
        ctx.restore();
        // the word runs along the band, so narrow bands stay readable
        ctx.save();
        ctx.fillStyle = "#333"; ctx.font = "12px sans-serif"; ctx.textBaseline = "middle";
        if (across) { ctx.translate(area.left + 6, c); }
        else { ctx.translate(c, area.top + 6); ctx.rotate(Math.PI / 2); }
        ctx.fillText(options.word || "ẩn", 0, 0);
        ctx.restore();
      });
      ctx.restore();
    }
  };

  function init() {
    var config = X.readConfig();
    var root = document.querySelector(".sc-chart-view");
    if (!config || !root) { return; }
    var lang = config.lang, w = X.words(lang), profile = config.profile;
    var state = {column: config.defaults.column, by: config.defaults.by,
                 period: config.defaults.period,
                 filters: Object.assign({}, config.defaults.filters)};
    var controls = root.querySelector(".sc-controls");
    controls.addEventListener("submit", function (e) { e.preventDefault(); });  // no inline handler (CSP)
    var status = root.querySelector(".sc-status");
    var table = root.querySelector(".sc-chart-table tbody");
    var canvas = root.querySelector("canvas");
    var chart = null;

    function measure(id) { return profile.measures.filter(function (m) { return m.id === id; })[0]; }
    function dims() {
      var out = [];
      if (profile.period && profile.periods.length > 1) { out.push(profile.period); }
      return out.concat(profile.categories);
    }
    function dim(id) { return dims().filter(function (d) { return d.id === id; })[0]; }

    function buildControls() {
      controls.textContent = "";
      var m = X.select(w.measure, "column", profile.measures.map(function (m) {
        return {value: m.id, label: X.measureLabel(m)};
      }), state.column);
      controls.appendChild(m.label);
      m.select.addEventListener("change", function () { state.column = m.select.value; buildControls(); refresh(); });
      var b = X.select(w.by, "by", dims().map(function (d) { return {value: d.id, label: d.label}; }), state.by);
      controls.appendChild(b.label);
      b.select.addEventListener("change", function () {
        state.by = b.select.value; delete state.filters[state.by]; buildControls(); refresh();
      });
      if (profile.period && state.by !== profile.period.id && profile.periods.length > 1) {
        var p = X.select(profile.period.label, "period", profile.periods.map(function (v) {
          return {value: v, label: v};
        }), state.period);
        p.select.id = "sc-period";
        controls.appendChild(p.label);
        p.select.addEventListener("change", function () { state.period = p.select.value; refresh(); });
      }
      var isCount = measure(state.column).count;
      profile.categories.concat(profile.commune ? [profile.commune] : []).forEach(function (c) {
        if (c.id === state.by) { return; }
        var values = c.values || (config.communes || []);
        var all = c === profile.commune ? w.city : w.all;
        var options = (isCount ? [{value: "", label: all}] : []).concat(
          values.map(function (v) { return {value: v.value, label: v.label}; }));
        var s = X.select(c === profile.commune ? w.commune : c.label, "filter-" + c.id, options,
                         state.filters[c.id] || "");
        s.select.setAttribute("data-category", c.id);
        controls.appendChild(s.label);
        s.select.addEventListener("change", function () {
          if (s.select.value) { state.filters[c.id] = s.select.value; } else { delete state.filters[c.id]; }
          refresh();
        });
      });
    }

    function render(result) {
      var m = measure(state.column), d = dim(state.by) || {label: state.by};
      var labels = result.points.map(function (p) { return p.label; });
      var values = result.points.map(function (p) { return p.status === "ok" ? p.value : null; });
      var suppressed = result.points.map(function (p) { return p.status === "suppressed"; });
      var line = state.by === (profile.period && profile.period.id);
      table.textContent = "";
      result.points.forEach(function (p) {
        var tr = document.createElement("tr");
        tr.setAttribute("data-key", p.key); tr.setAttribute("data-status", p.status);
        var th = document.createElement("th"); th.textContent = p.label;
        var td = document.createElement("td"); td.className = "sc-num";
        if (p.status === "ok") { td.textContent = X.format(p.value, lang); td.setAttribute("data-value", p.value); }
        else { td.textContent = p.status === "suppressed" ? w.suppressed : w.noData; td.classList.add("sc-suppressed"); }
        tr.appendChild(th); tr.appendChild(td); table.appendChild(tr);
      });
      root.querySelector(".sc-chart-table thead th:first-child").textContent = d.label;
      root.querySelector(".sc-chart-table thead th:last-child").textContent = X.measureLabel(m);
      if (chart) { chart.destroy(); }
      // categories have long names: horizontal bars, one line per category
      root.querySelector(".sc-chart-box").style.height =
        line ? "" : Math.max(320, 28 * labels.length + 80) + "px";
      var valueAxis = line ? "y" : "x", keyAxis = line ? "x" : "y";
      var scales = {};
      scales[keyAxis] = {title: {display: true, text: d.label}};
      scales[valueAxis] = {beginAtZero: true, title: {display: true, text: X.measureLabel(m)}};
      chart = new window.Chart(canvas, {
        type: line ? "line" : "bar",
        data: {labels: labels, datasets: [{label: X.measureLabel(m), data: values,
               borderColor: "#2c7fb8", backgroundColor: line ? "#2c7fb8" : "#41b6c4",
               spanGaps: false, pointRadius: 4}]},
        options: {
          maintainAspectRatio: false, animation: false, locale: lang === "en" ? "en-GB" : "vi-VN",
          indexAxis: line ? "x" : "y",
          scales: scales,
          plugins: {
            legend: {display: false},
            scHatch: {suppressed: suppressed, word: w.suppressed},
            tooltip: {callbacks: {label: function (item) {
              return X.measureLabel(m) + ": " + X.format(item.raw, lang);
            }}}
          }
        },
        plugins: [hatchBands]
      });
      root.setAttribute("data-kind", line ? "line" : "bar");
    }

    function refresh() {
      status.textContent = w.loading;
      root.setAttribute("data-loading", "true");
      X.call(config.api, "smartcity_chart_data", {
        resource_id: profile.resource_id, column: state.column, by: state.by,
        period: state.by === (profile.period && profile.period.id) ? null : state.period,
        filters: state.filters
      }).then(function (result) {
        render(result);
        status.textContent = "";
        root.setAttribute("data-loading", "false");
      }).catch(function (err) {
        status.textContent = "";
        status.appendChild(X.el("span", {"class": "sc-error"}, [err.message]));
        root.setAttribute("data-loading", "false");
      });
    }

    buildControls();
    refresh();
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})(window, document);
