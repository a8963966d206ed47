// The OKR report's charts: figures from the page's json_script, drawn by Chart.js. Every chart
// has a table beside it with the same figures.
(function () {
  "use strict";
  var source = document.getElementById("okr-chart-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = ["#1a4f8b", "#b26a00", "#2e7d32", "#6a1b9a"];
  var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function draw(canvasId, chartData, horizontal) {
    var canvas = document.getElementById(canvasId);
    if (!canvas || !chartData) {
      return;
    }
    chartData.datasets.forEach(function (dataset, index) {
      dataset.backgroundColor = colours[index % colours.length];
    });
    new window.Chart(canvas, {
      type: "bar",
      data: chartData,
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: still ? false : {},
        scales: { x: { beginAtZero: true }, y: { beginAtZero: true } },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  draw("okr-goals-chart", data.goals, true);
  draw("okr-initiatives-chart", data.initiatives, true);
  draw("okr-quarters-chart", data.quarters, false);
  draw("public-counties-chart", data.counties, true);
})();
