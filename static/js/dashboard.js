// The triage dashboard's monthly chart: data from the page's json_script, drawn by Chart.js.
(function () {
  "use strict";
  var source = document.getElementById("requests-by-month-data");
  var canvas = document.getElementById("requests-by-month-chart");
  if (!source || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  // Distinct colours and patterns-by-order; the table below the chart carries the same figures.
  var colours = ["#1a4f8b", "#2e7d32", "#b26a00", "#6a1b9a", "#00838f", "#c62828", "#5d4037"];
  data.datasets.forEach(function (dataset, index) {
    dataset.backgroundColor = colours[index % colours.length];
    dataset.borderColor = "#ffffff";
    dataset.borderWidth = 1;
  });
  new window.Chart(canvas, {
    type: "bar",
    data: data,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : {},
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
      },
      plugins: { legend: { position: "bottom" } },
    },
  });
})();
