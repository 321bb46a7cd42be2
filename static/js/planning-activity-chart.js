/* Activity page charts: realisation vs physical progress vs time elapsed, and the complaint trend.
   Data comes from json_script blocks; no inline script (CSP). */
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
          { label: series.financial, data: progress.financial, borderColor: "#0d6efd", backgroundColor: "#0d6efd", spanGaps: false },
          { label: series.physical, data: progress.physical, borderColor: "#198754", backgroundColor: "#198754", spanGaps: false },
          { label: series.time, data: progress.time, borderColor: "#6c757d", backgroundColor: "#6c757d", borderDash: [6, 4], pointRadius: 0 }
        ]
      },
      options: { responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } }
    });
  }
  var trend = read("trend-chart-data");
  var trendCanvas = document.getElementById("trend-chart");
  if (trend && trendCanvas) {
    var colours = trend.before_start.map(function (before) { return before ? "#adb5bd" : "#0d6efd"; });
    new Chart(trendCanvas, {
      type: "bar",
      data: { labels: trend.labels, datasets: [{ label: series.reports, data: trend.counts, backgroundColor: colours }] },
      options: { responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
})();
