// The topic map as an image: the heat map drawn on a canvas from the JSON the page embeds, offered
// as a PNG (the table on the page stays the accessible form of the same figures).
(function () {
  "use strict";
  var canvas = document.querySelector("canvas[data-heat-map]");
  if (!canvas) { return; }
  var data = JSON.parse(document.getElementById(canvas.dataset.heatMap).textContent);
  var shades = ["#f4f4f4", "#c6dbef", "#6baed6", "#2171b5", "#08306b"];
  var cell = 28, left = 320, top = 150;
  canvas.width = left + cell * data.measures.length + 20;
  canvas.height = top + cell * data.topics.length + 20;
  var context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.font = "12px sans-serif";
  context.fillStyle = "#000000";
  data.measures.forEach(function (label, column) {
    context.save();
    context.translate(left + column * cell + cell / 2, top - 8);
    context.rotate(-Math.PI / 4);
    context.fillText(label.length > 30 ? label.slice(0, 29) + "\u2026" : label, 0, 0);
    context.restore();
  });
  data.topics.forEach(function (topic, row) {
    context.fillStyle = "#000000";
    context.fillText(topic.length > 48 ? topic.slice(0, 47) + "\u2026" : topic, 8, top + row * cell + cell * 0.65);
    data.levels[row].forEach(function (level, column) {
      context.fillStyle = shades[level];
      context.fillRect(left + column * cell, top + row * cell, cell - 2, cell - 2);
    });
  });
  var link = document.querySelector('a.download-png[data-chart="topic-map"]');
  link.addEventListener("click", function () { link.href = canvas.toDataURL("image/png"); });
})();
