// eduplan's charts: reads the page's data from <script type="application/json"
// id="chart-data"> and draws it with ECharts. No inline code, so that the pages keep
// the Content-Security-Policy default-src 'self'.
"use strict";

(function () {
  var el = document.getElementById("chart-data");
  if (!el || typeof echarts === "undefined") return;
  var data = JSON.parse(el.textContent);

  var css = getComputedStyle(document.documentElement);
  function colour(name) { return css.getPropertyValue("--" + name).trim(); }
  var statusColour = {
    achieved: colour("achieved"), ahead: colour("ahead"), on_track: colour("on-track"),
    lagging: colour("lagging"), regressing: colour("regressing"), no_data: colour("no-data")
  };
  // Districts other than the one chosen: quiet colours, so that the city and the chosen
  // district stand out.
  var quiet = ["#8da0cb", "#a6a6a6", "#e5a07a", "#91c4a6", "#c7a0c9", "#b8b06a",
    "#8fb9c9", "#d49c9c", "#a3a3c7", "#9fbf8a", "#c9b18f", "#93a8a0", "#b3a0b3"];

  // Numbers come written by the server, so that a chart and a table never round one
  // value two ways.
  function text(t) { return t || "—"; }
  // Tooltips are text: ECharts' default markers carry inline styles, which the CSP refuses.
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c];
    });
  }
  var base = {
    animation: false,
    aria: { enabled: true },
    textStyle: { fontFamily: css.fontFamily },
    grid: { left: 12, right: 24, top: 56, bottom: 12, containLabel: true }
  };
  var charts = [];

  function trend(chart) {
    var years = data.years.map(String);
    var series = data.series.map(function (s, i) {
      var strong = s.city || s.selected;
      var c = s.city ? colour("fg") : s.selected ? colour("accent") : quiet[i % quiet.length];
      var line = {
        type: "line", name: s.name, data: s.values, connectNulls: false,
        symbol: "circle", symbolSize: strong ? 8 : 4, z: strong ? 3 : 2,
        lineStyle: { width: s.city ? 3.5 : s.selected ? 3 : 1.2, color: c },
        itemStyle: { color: c },
        emphasis: { focus: "series" }
      };
      if (s.selected) marks(line);
      return line;
    });
    // A count's city total dwarfs its districts: each is shown alone at first, the
    // others are a click on the legend away.
    var shown = {};
    data.series.forEach(function (s) { shown[s.name] = !data.count || s.selected; });
    chart.on("legendselectchanged", function (e) {
      chart.setOption({ yAxis: extent(e.selected) });
    });
    return {
      legend: { type: "scroll", top: 0, selected: shown },
      tooltip: {
        trigger: "axis",
        formatter: function (ps) {
          var rows = ps.filter(function (p) { return p.value !== null && p.value !== undefined; })
            .sort(function (a, b) { return b.value - a.value; })
            .map(function (p) { return esc(p.seriesName) + ": " + esc(text(data.series[p.seriesIndex].texts[p.dataIndex])); });
          return "<b>" + esc(ps.length ? ps[0].axisValue : "") + "</b><br>" + rows.join("<br>");
        }
      },
      xAxis: { type: "category", data: years, boundaryGap: false },
      yAxis: Object.assign({ type: "value", name: data.axisName, nameTextStyle: { align: "left" } }, extent(shown)),
      series: series
    };
  }

  // extent is the value axis's range: every value of the lines shown, and the baseline
  // and the target, with a margin, on round numbers (ECharts' own range would leave out a
  // target far off).
  function extent(shown) {
    var xs = [];
    data.series.forEach(function (s) {
      if (!shown[s.name]) return;
      s.values.forEach(function (v) { if (v !== null) xs.push(v); });
      if (s.selected && data.baseline) xs.push(data.baseline.value);
      if (s.selected && data.target) xs.push(data.target.value);
    });
    if (!xs.length) return { min: null, max: null, interval: null };
    var lo = Math.min.apply(null, xs), hi = Math.max.apply(null, xs);
    var span = hi - lo || Math.abs(hi) * 0.1 || 1;
    var step = niceStep(span / 6);
    var min = +(Math.floor((lo - span * 0.05) / step) * step).toFixed(10);
    var max = +(Math.ceil((hi + span * 0.05) / step) * step).toFixed(10);
    if (lo >= 0 && min < 0) min = 0;
    return { min: min, max: max, interval: step };
  }

  // niceStep rounds a step up to 1, 2 or 5 times a power of ten.
  function niceStep(x) {
    var p = Math.pow(10, Math.floor(Math.log10(x))), f = x / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
  }

  // marks puts the chosen org's baseline and target on its line.
  function marks(line) {
    var points = [];
    if (data.baseline) {
      points.push({ name: data.text.baseline, coord: [String(data.baseline.year), data.baseline.value],
        symbol: "circle", symbolSize: 14, itemStyle: { color: colour("muted") },
        label: { position: [14, 10], formatter: data.text.baseline + " " + data.baseline.text } });
    }
    if (data.target) {
      points.push({ name: data.text.target, coord: [String(data.target.year), data.target.value],
        symbol: "diamond", symbolSize: 18, itemStyle: { color: colour("achieved") },
        label: { show: false } });
      line.markLine = {
        silent: true, symbol: "none", precision: 6,
        lineStyle: { type: "dashed", color: colour("achieved"), width: 1.5 },
        label: { formatter: data.text.target + " " + data.target.year + ": " + data.target.text, position: "insideEndTop" },
        data: [{ yAxis: data.target.value }]
      };
    }
    line.markPoint = { data: points, label: { show: true, color: colour("fg") } };
  }

  // barExtent is the ranking's value axis: from zero (or below, for negative values)
  // to past the largest value and the target.
  function barExtent() {
    var xs = [0];
    data.ranking.items.forEach(function (it) { if (it.value !== null) xs.push(it.value); });
    if (data.ranking.target !== null && data.ranking.target !== undefined) xs.push(data.ranking.target);
    var lo = Math.min.apply(null, xs), hi = Math.max.apply(null, xs);
    if (hi === lo) return {};
    var step = niceStep((hi - lo) / 5);
    return {
      min: +(Math.floor(lo / step) * step).toFixed(10),
      max: +(Math.ceil(hi * 1.02 / step) * step).toFixed(10),
      interval: step
    };
  }

  function ranking() {
    var items = data.ranking.items;
    var bar = {
      type: "bar", name: String(data.ranking.year), barMaxWidth: 22,
      data: items.map(function (it) {
        return { value: it.value, itemStyle: { color: statusColour[it.status] || colour("no-data") } };
      }),
      label: {
        show: true, position: "right",
        formatter: function (p) { var it = items[p.dataIndex]; return it.text + " " + it.symbol; }
      }
    };
    if (data.ranking.target !== null && data.ranking.target !== undefined) {
      bar.markLine = {
        silent: true, symbol: "none", precision: 6,
        lineStyle: { type: "dashed", color: colour("achieved"), width: 1.5 },
        label: { formatter: data.text.target + " " + data.ranking.targetText, position: "start" },
        data: [{ xAxis: data.ranking.target }]
      };
    }
    return {
      grid: { left: 12, right: 72, top: 24, bottom: 30, containLabel: true },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var it = items[p.dataIndex];
          return esc(it.name) + ": " + esc(it.text) + "<br>" + esc(it.symbol + " " + it.label);
        }
      },
      // Bars start at zero, so that their lengths compare honestly.
      xAxis: Object.assign({ type: "value", name: data.axisName, nameLocation: "middle", nameGap: 24 }, barExtent()),
      yAxis: {
        type: "category", inverse: true, data: items.map(function (it) { return it.name; }),
        // Long names are cut: the table beside has them whole.
        axisLabel: { width: 130, overflow: "truncate" }
      },
      series: [bar]
    };
  }

  // completion is a district's completion of each indicator beside the time elapsed, in
  // percent: a bar shorter than its grey companion is behind schedule.
  function completion() {
    var d = data, pct = function (v) { return v === null || v === undefined ? "—" : v + "%"; };
    return {
      grid: { left: 12, right: 56, top: 36, bottom: 30, containLabel: true },
      legend: { top: 0, data: [d.text.completion, d.text.elapsed] },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (ps) {
          var i = ps.length ? ps[0].dataIndex : 0;
          return "<b>" + esc(d.names[i]) + "</b><br>" + esc(d.text.completion) + ": " + esc(pct(d.completion[i])) +
            "<br>" + esc(d.text.elapsed) + ": " + esc(pct(d.elapsed[i])) + "<br>" + esc(d.labels[i]);
        }
      },
      xAxis: { type: "value", min: -50, max: 150, interval: 25, axisLabel: { formatter: "{value}%" } },
      yAxis: {
        type: "category", inverse: true, data: d.names,
        axisLabel: { width: 260, overflow: "truncate" }
      },
      series: [
        { type: "bar", name: d.text.completion, barMaxWidth: 14,
          // Bars far past the target (or far behind the baseline) are cut at the axis's
          // ends, so that the others stay readable; their labels keep the true figure.
          data: d.completion.map(function (v, i) {
            var cut = v === null ? null : Math.max(-50, Math.min(150, v));
            return { value: cut, itemStyle: { color: statusColour[d.statuses[i]] || colour("no-data") } };
          }),
          label: { show: true, position: "right", formatter: function (p) { return pct(d.completion[p.dataIndex]); } } },
        { type: "bar", name: d.text.elapsed, barMaxWidth: 8, itemStyle: { color: "#b9c0ca" }, data: d.elapsed }
      ]
    };
  }

  // yantai draws the districts on a map of Yantai, shaded by their value in the ranking's
  // year, each labelled with its value and status symbol (never colour alone). The
  // shapes are fetched from /static (same origin, as the CSP wants); their names are
  // put in the page's language. The functional zones have no boundary: they are points.
  function yantai() {
    var node = document.getElementById("chart-map"), m = data.map;
    if (!node || !m) return;
    var byName = {}, nameOf = {}, chosen = "";
    m.items.forEach(function (it) { byName[it.name] = it; nameOf[it.code] = it.name; });
    data.series.forEach(function (s) { if (s.selected && !s.city) chosen = nameOf[s.code] || ""; });
    fetch(m.geoURL).then(function (r) {
      if (!r.ok) throw new Error(m.geoURL + ": HTTP " + r.status);
      return r.json();
    }).then(function (geo) {
      geo.features.forEach(function (f) {
        if (nameOf[f.properties.code]) f.properties.name = nameOf[f.properties.code];
      });
      echarts.registerMap("yantai", geo);
      var chart = echarts.init(node, null, { renderer: "canvas" });
      chart.setOption(Object.assign({}, base, mapOption(m, byName, chosen, geo)));
      // A district leads to this page with it chosen, the other parameters (year,
      // language) kept.
      chart.on("click", function (p) {
        var it = byName[p.name];
        if (!it) return;
        var u = new URL(window.location.href);
        u.searchParams.set("org", it.code);
        window.location.assign(u.toString());
      });
      charts.push(chart);
    });
  }

  // callouts move the labels of the crowded districts around the city centre into the
  // sea or open ground, with a line to their place (dx, dy in pixels).
  var callouts = {
    "370602": [95, -95], "370613": [150, -35], "370611": [-20, 30], "370612": [30, 50],
    "370672": [-85, -70], "370671": [130, 25]
  };

  function mapOption(m, byName, chosen, geo) {
    var known = m.items.filter(function (it) { return it.value !== null; });
    var lo = null, hi = null;
    known.forEach(function (it) {
      if (lo === null || it.value < lo.value) lo = it;
      if (hi === null || it.value > hi.value) hi = it;
    });
    var none = "#e3e6ea";
    var cp = {};
    geo.features.forEach(function (f) { cp[f.properties.code] = f.properties.cp; });
    function value(it) { return it.value === null ? NaN : it.value; }
    function label(p) { var it = byName[p.name]; return it.name + "\n" + it.text + " " + it.symbol; }
    // Every label is a point's: at a district's centre (an unseen point) or beside a
    // zone's marker, moved by its callout.
    var labelled = {
      label: {
        show: true, position: "inside", formatter: label, color: colour("fg"), fontSize: 11, lineHeight: 14,
        backgroundColor: "rgba(255,255,255,0.94)", borderColor: "#9aa3af", borderWidth: 0.5, borderRadius: 3, padding: [2, 4]
      },
      labelLine: { show: true, lineStyle: { color: colour("fg"), width: 1 } },
      labelLayout: function (p) {
        var it = byName[p.seriesIndex === 1 ? zones[p.dataIndex].name : areas[p.dataIndex].name];
        var o = it && callouts[it.code];
        return o ? { dx: o[0], dy: o[1] } : {};
      }
    };
    var zones = m.items.filter(function (it) { return it.point; });
    var areas = m.items.filter(function (it) { return !it.point && cp[it.code]; });
    var option = {
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var it = byName[p.name];
          if (!it) return esc(p.name);
          return "<b>" + esc(it.name) + "</b><br>" + esc(m.year + ": " + it.text) + "<br>" + esc(it.symbol + " " + it.label);
        }
      },
      geo: {
        map: "yantai", roam: false, selectedMode: false, top: 12, bottom: 12, left: 64, // room on the right for the callouts
        label: { show: false }, emphasis: { label: { show: false }, itemStyle: { areaColor: null, borderColor: colour("fg"), borderWidth: 2 } },
        itemStyle: { areaColor: none, borderColor: "#ffffff", borderWidth: 1 },
        regions: chosen ? [{ name: chosen, itemStyle: { borderColor: colour("accent"), borderWidth: 3 } }] : []
      },
      series: [
        { type: "map", geoIndex: 0, name: String(m.year),
          data: m.items.filter(function (it) { return !it.point; }).map(function (it) { return { name: it.name, value: value(it) }; }) },
        Object.assign({ type: "scatter", coordinateSystem: "geo", name: String(m.year), symbol: "diamond", symbolSize: 18, z: 5,
          itemStyle: { color: none, borderColor: colour("fg"), borderWidth: 1.5 },
          data: zones.map(function (it) { return { name: it.name, value: it.point.concat([value(it)]) }; }) }, labelled),
        Object.assign({ type: "scatter", coordinateSystem: "geo", name: String(m.year), symbolSize: 0, z: 6,
          data: areas.map(function (it) { return { name: it.name, value: cp[it.code] }; }) }, labelled)
      ]
    };
    // The zones' names are long (in English especially): they break onto a second line.
    option.series[1].label = Object.assign({}, labelled.label, { position: "right", width: 170, overflow: "break" });
    if (lo !== null) {
      option.visualMap = {
        // One value for all: it is shaded mid-scale, not as the least.
        type: "continuous", seriesIndex: [0, 1],
        min: hi.value === lo.value ? lo.value - 1 : lo.value, max: hi.value === lo.value ? lo.value + 1 : hi.value,
        left: 12, bottom: 12, itemHeight: 120, calculable: false, realtime: false,
        text: [hi.text, lo.text], textStyle: { color: colour("fg") },
        inRange: { color: ["#deebf7", "#9ecae1", "#4292c6", "#08519c"] }
      };
    }
    return option;
  }

  function draw(id, build) {
    var node = document.getElementById(id);
    if (!node) return;
    var chart = echarts.init(node, null, { renderer: "canvas" });
    chart.setOption(Object.assign({}, base, build(chart)));
    charts.push(chart);
  }

  draw("chart-trend", trend);
  draw("chart-ranking", ranking);
  draw("chart-completion", completion);
  yantai();

  function resize() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener("resize", resize);
  // Printed pages are narrower than the screen: fit the charts to the paper and back.
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
})();
