// Draws each dashboard chart with Chart.js from the JSON the page embeds, and offers it as a PNG.
(function () {
  "use strict";
  var palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999", "#882255"];
  // Long category names (topics, administrations) are shortened on the axis, not cut off by the
  // canvas; the tooltip and the data table keep them whole.
  function shortLabel(value) {
    var label = String(this.getLabelForValue(value));
    return label.length > 34 ? label.slice(0, 33) + "\u2026" : label;
  }
  function scales(categoryAxis) {
    var valueAxis = categoryAxis === "y" ? "x" : "y";
    var result = {};
    result[valueAxis] = { beginAtZero: true, ticks: { precision: 0 } };
    result[categoryAxis] = { ticks: { callback: shortLabel } };
    return result;
  }
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var name = canvas.dataset.chart;
    var data = JSON.parse(document.getElementById(name).textContent);
    var round = data.type === "doughnut";
    var chart = new Chart(canvas, {
      type: data.type,
      data: {
        labels: data.labels,
        datasets: [{
          label: data.title,
          data: data.values,
          backgroundColor: round ? palette : palette[0],
          borderColor: round ? "#ffffff" : palette[0],
        }],
      },
      options: {
        animation: false,
        responsive: true,
        // A round chart keeps its own square size (CSS caps .chart-area), not the width of the page.
        maintainAspectRatio: true,
        aspectRatio: round ? 1 : 2,
        plugins: { legend: { display: round, position: "bottom" } },
        indexAxis: data.type === "bar" && data.labels.length > 6 ? "y" : "x",
        // Counts and amounts are read against zero: an axis starting elsewhere exaggerates differences.
        scales: round ? {} : scales(data.type === "bar" && data.labels.length > 6 ? "y" : "x"),
      },
    });
    var link = document.querySelector('a.download-png[data-chart="' + name + '"]');
    link.addEventListener("click", function () {
      link.href = chart.toBase64Image();
    });
  });
})();
