// Draws each dashboard chart with Chart.js from the JSON the page embeds, and offers it as a PNG.
(function () {
  "use strict";
  var palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999", "#882255"];
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
        scales: round ? {} : {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
    var link = document.querySelector('a.download-png[data-chart="' + name + '"]');
    link.addEventListener("click", function () {
      link.href = chart.toBase64Image();
    });
  });
})();
