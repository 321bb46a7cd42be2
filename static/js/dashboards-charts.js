/* Draws every <canvas data-chart="key"> from the JSON in #dashboard-charts (Chart.js, vendored). */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") { return; }
  var specs = JSON.parse(source.textContent);

  function draw(canvas) {
    var spec = specs[canvas.dataset.chart];
    if (!spec) { return; }
    var horizontal = !!spec.horizontal;
    var valueAxis = horizontal ? "x" : "y";
    var scales = { x: { stacked: !!spec.stacked }, y: { stacked: !!spec.stacked } };
    scales[valueAxis].beginAtZero = true;
    if (spec.max) { scales[valueAxis].max = spec.max; }
    var datasets = spec.datasets.map(function (d) {
      return {
        label: d.label,
        data: d.data,
        backgroundColor: spec.type === "line" ? d.backgroundColor + "33" : d.backgroundColor,
        borderColor: d.borderColor,
        fill: spec.type === "line",
        tension: 0.2,
        spanGaps: true
      };
    });
    canvas.chart = new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } }
      }
    });
    if (!spec.labels.length) {
      canvas.closest(".chart-box").classList.add("chart-empty");
    }
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
