// The engagement page's charts: one line per indicator (its reported measurements) against the
// straight target line from baseline to target. Data from the page's json_script; the table
// after each chart carries the same figures.
(function () {
  "use strict";
  var source = document.getElementById("engagement-chart-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var charts = JSON.parse(source.textContent);
  var dayMs = 24 * 60 * 60 * 1000;
  function asDate(epochDay) {
    return new Date(epochDay * dayMs).toISOString().slice(0, 10);
  }
  var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  charts.forEach(function (chart) {
    var canvas = document.getElementById("indicator-chart-" + chart.id);
    if (!canvas) {
      return;
    }
    canvas.dataset.points = String(chart.measurements.length);
    new window.Chart(canvas, {
      type: "line",
      data: {
        datasets: [
          {
            label: "Measurements",
            data: chart.measurements,
            borderColor: "#1a4f8b",
            backgroundColor: "#1a4f8b",
            pointRadius: 4,
          },
          {
            label: "Baseline to target",
            data: chart.target_line,
            borderColor: "#b26a00",
            backgroundColor: "#b26a00",
            borderDash: [6, 4],
            pointStyle: "rectRot",
            pointRadius: 5,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: still ? false : {},
        parsing: false,
        scales: {
          x: { type: "linear", ticks: { callback: asDate, maxTicksLimit: 6 } },
          y: { title: { display: true, text: chart.unit } },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              title: function (items) {
                return items.length ? asDate(items[0].parsed.x) : "";
              },
            },
          },
        },
      },
    });
  });
})();
