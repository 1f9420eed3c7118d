// Dashboard charts: read the series from the JSON endpoint named by #dashboard-charts[data-url]
// and draw each <canvas data-chart="…"> with Chart.js; a click on a bar opens the list behind it.
// No inline script, so the strict Content-Security-Policy holds.
(function () {
  "use strict";
  var root = document.getElementById("dashboard-charts");
  if (!root || typeof window.Chart === "undefined") { return; }

  function vnNumber(value) {
    var text = (Math.round(value * 10) / 10).toString().split(".");
    text[0] = text[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return text.join(",");
  }

  function draw(canvas, series) {
    if (!series || !series.labels.length) {
      var empty = document.createElement("p");
      empty.className = "text-muted small mb-0";
      empty.textContent = "Chưa có số liệu.";
      canvas.parentNode.replaceChild(empty, canvas);
      return;
    }
    var horizontal = canvas.getAttribute("data-horizontal") === "1";
    var kind = canvas.getAttribute("data-kind") || "bar";
    var color = canvas.getAttribute("data-color") || "#0d6efd";
    var isRate = canvas.getAttribute("data-chart") === "by_unit" || canvas.getAttribute("data-chart") === "by_group";
    if (horizontal) {
      canvas.parentNode.style.height = Math.max(220, series.labels.length * 26 + 60) + "px";
    }
    new window.Chart(canvas, {
      type: kind,
      data: {
        labels: series.labels,
        datasets: [{ data: series.values, backgroundColor: color, borderColor: color, fill: false, tension: 0.2 }]
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (ctx) {
            return vnNumber(horizontal ? ctx.parsed.x : ctx.parsed.y) + (isRate ? "%" : "");
          } } }
        },
        scales: horizontal
          ? { x: { beginAtZero: true, max: isRate ? 100 : undefined, ticks: { callback: vnNumber } } }
          : { y: { beginAtZero: true, max: isRate ? 100 : undefined, ticks: { callback: vnNumber, precision: 0 } } },
        onClick: function (event, elements) {
          if (elements.length && series.urls[elements[0].index]) {
            window.location.href = series.urls[elements[0].index];
          }
        },
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        }
      }
    });
  }

  fetch(root.getAttribute("data-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data) { return; }
      root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
        draw(canvas, data[canvas.getAttribute("data-chart")]);
      });
    });
})();
