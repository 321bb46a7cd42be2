/* Activity page charts: realisation vs physical progress vs time elapsed, and the complaint trend.
   Data comes from json_script blocks; no inline script (CSP). Neither tells its series apart by colour alone (point
   shapes, a dashed line, hatched bars, each named in the legend), and each has its numbers as a table under it
   (templates/planning/_progress_numbers.html, _trend_numbers.html). */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  // Series names come translated from the page (planning.views.activity_detail).
  var series = read("chart-series") || {};
  var progress = read("progress-chart-data");
  var canvas = document.getElementById("progress-chart");
  if (progress && canvas) {
    new Chart(canvas, {
      type: "line",
      data: {
        labels: progress.labels,
        datasets: [
          { label: series.financial, data: progress.financial, borderColor: "#0d6efd", backgroundColor: "#0d6efd", spanGaps: false, pointStyle: "circle" },
          { label: series.physical, data: progress.physical, borderColor: "#198754", backgroundColor: "#198754", spanGaps: false, pointStyle: "triangle", pointRadius: 4 },
          { label: series.time, data: progress.time, borderColor: "#6c757d", backgroundColor: "#6c757d", borderDash: [6, 4], pointRadius: 0, pointStyle: "line" }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } },
        plugins: { legend: { labels: { usePointStyle: true, boxHeight: 8 } } }
      }
    });
  }
  var trend = read("trend-chart-data");
  var trendCanvas = document.getElementById("trend-chart");
  // Grey hatching: the months before the start differ from the solid blue months since by pattern, not by colour alone.
  function hatch(colour) {
    var tile = document.createElement("canvas");
    tile.width = 8; tile.height = 8;
    var pen = tile.getContext("2d");
    pen.fillStyle = "#fff"; pen.fillRect(0, 0, 8, 8);
    pen.strokeStyle = colour; pen.lineWidth = 2;
    pen.beginPath();
    pen.moveTo(0, 8); pen.lineTo(8, 0); pen.moveTo(-2, 2); pen.lineTo(2, -2); pen.moveTo(6, 10); pen.lineTo(10, 6);
    pen.stroke();
    return pen.createPattern(tile, "repeat");
  }
  if (trend && trendCanvas) {
    // Two series (before the start, since), one bar a month: stacked, so that a month's bar keeps its full width.
    var before = trend.counts.map(function (n, i) { return trend.before_start[i] ? n : null; });
    var since = trend.counts.map(function (n, i) { return trend.before_start[i] ? null : n; });
    new Chart(trendCanvas, {
      type: "bar",
      data: {
        labels: trend.labels,
        datasets: [
          { label: trendCanvas.dataset.beforeLabel, data: before, backgroundColor: hatch("#6c757d"), borderColor: "#6c757d", borderWidth: 1 },
          { label: trendCanvas.dataset.sinceLabel, data: since, backgroundColor: "#0d6efd", borderColor: "#0d6efd", borderWidth: 1 }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false,
        plugins: { legend: { display: true, position: "bottom" } },
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }
})();
