/* Draws every <canvas data-chart="key"> from the JSON in #dashboard-charts (Chart.js, vendored).
   Bar charts name categories (departments, programmes, indicators): every label is shown (no autoSkip), wrapped
   to the width the chart has, never slanted; a horizontal bar chart grows taller with its number of bars.
   The spec's labels come translated from dashboards/charts.py; "tooltips" (optional) are fuller titles, "note"
   (optional) a line written under the chart. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") { return; }
  var specs = JSON.parse(source.textContent);
  var CHAR_PX = 6.5;      // average width of a character of the 12 px tick font
  var LINE_PX = 15;       // height of a line of tick text
  var MAX_LINES = 3;      // a label longer than this many lines ends with "…" (the tooltip has it whole)
  var LANG = document.documentElement.lang || undefined;
  var compact = new Intl.NumberFormat(LANG, { notation: "compact", maximumFractionDigits: 1 });
  var number = new Intl.NumberFormat(LANG, { maximumFractionDigits: 1 });
  // Money as the city writes it in every language (the tables' "Rp 1.250.000"), not in the browser's locale.
  var rupiah = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 });

  // ``text`` in lines of at most ``width`` characters, broken between words; over ``maxLines``, cut with "…".
  function wrap(text, width, maxLines) {
    var words = String(text).split(/\s+/).filter(Boolean);
    var lines = [];
    var line = "";
    words.forEach(function (word) {
      while (word.length > width) {  // a word longer than a line (a code, a long name) is cut into pieces
        if (line) { lines.push(line); line = ""; }
        lines.push(word.slice(0, width - 1) + "-");
        word = word.slice(width - 1);
      }
      if (!line) { line = word; } else if (line.length + 1 + word.length <= width) { line += " " + word; } else {
        lines.push(line);
        line = word;
      }
    });
    if (line) { lines.push(line); }
    if (maxLines && lines.length > maxLines) {
      lines = lines.slice(0, maxLines);
      var last = lines[maxLines - 1];
      lines[maxLines - 1] = (last.length >= width ? last.slice(0, width - 1) : last).replace(/[\s-]+$/, "") + "…";
    }
    return lines.length > 1 ? lines : (lines[0] || "");
  }

  // Characters per label line: a horizontal chart gives its labels up to 40% of its width; a vertical one
  // shares its width between the categories.
  function lineWidth(spec, pixels) {
    if (spec.horizontal) { return Math.max(12, Math.floor((pixels * 0.4) / CHAR_PX)); }
    return Math.max(6, Math.floor((pixels * 0.9) / Math.max(1, spec.labels.length) / CHAR_PX));
  }

  function lineCount(label) { return Array.isArray(label) ? label.length : 1; }

  // A horizontal bar chart's height: room for each category's label lines and bars, plus axis and legend.
  function fitHeight(canvas, spec) {
    var box = canvas.closest(".chart-box");
    if (!spec.horizontal || !box) { return; }
    var width = lineWidth(spec, box.clientWidth);
    var bars = spec.stacked ? 1 : spec.datasets.length;
    var perCategory = 0;
    spec.labels.forEach(function (label) {
      perCategory = Math.max(perCategory, lineCount(wrap(label, width, MAX_LINES)) * LINE_PX + 8, bars * 12 + 10);
    });
    var legend = spec.datasets.length > 1 ? 40 : 0;
    var height = spec.labels.length * perCategory + 50 + legend;
    box.style.height = Math.max(box.clientHeight, height) + "px";
  }

  function draw(canvas) {
    var spec = specs[canvas.dataset.chart];
    if (!spec) { return; }
    var horizontal = !!spec.horizontal;
    var valueAxis = horizontal ? "x" : "y";
    var categoryAxis = horizontal ? "y" : "x";
    var scales = { x: { stacked: !!spec.stacked }, y: { stacked: !!spec.stacked } };
    scales[valueAxis].beginAtZero = true;
    if (spec.max) { scales[valueAxis].max = spec.max; }
    // Level numbers, thinned out rather than slanted; large ones (Rupiah) in the page's short form ("25 M").
    scales[valueAxis].ticks = {
      maxRotation: 0,
      autoSkipPadding: 12,
      callback: function (value) {
        return Math.abs(value) >= 10000 ? compact.format(value) : this.getLabelForValue(value);
      }
    };
    if (spec.type === "bar") {
      scales[categoryAxis].ticks = {
        autoSkip: false,
        maxRotation: 0,
        minRotation: 0,
        callback: function (value) {
          // Wrapped again on every layout, so a resized window re-wraps to its new width.
          return wrap(this.getLabelForValue(value), lineWidth(spec, this.chart.width), MAX_LINES);
        }
      };
    }
    var datasets = spec.datasets.map(function (d) {
      return {
        label: d.label,
        data: d.data,
        money: d.money,
        backgroundColor: spec.type === "line" ? d.backgroundColor + "33" : d.backgroundColor,
        borderColor: d.borderColor,
        fill: spec.type === "line",
        tension: 0.2,
        spanGaps: true
      };
    });
    fitHeight(canvas, spec);
    canvas.chart = new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        locale: LANG,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              // The whole label (or the spec's fuller title), in lines that fit a phone.
              title: function (items) {
                if (!items.length) { return ""; }
                var index = items[0].dataIndex;
                var full = (spec.tooltips && spec.tooltips[index]) || spec.labels[index];
                return wrap(full, 40, 0);
              },
              // The page's language for numbers ("92,3" on an Indonesian page), Rupiah for money.
              label: function (item) {
                var value = horizontal ? item.parsed.x : item.parsed.y;
                if (value === null || value === undefined) { return item.dataset.label; }
                var text = item.dataset.money ? "Rp\u00a0" + rupiah.format(value) : number.format(value);
                return item.dataset.label + ": " + text;
              }
            }
          }
        }
      }
    });
    if (!spec.labels.length) {
      canvas.closest(".chart-box").classList.add("chart-empty");
    }
    // What the chart leaves out and why (dashboards/charts.py), under it where the eye goes after the bars.
    if (spec.note) {
      var note = document.createElement("p");
      note.className = "small text-muted mb-1 chart-note";
      note.textContent = spec.note;
      canvas.closest(".chart-box").after(note);
    }
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
