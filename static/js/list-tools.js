// List tools: print buttons, and the agenda of the calendar chosen on narrow screens.
// Plain script, no inline code, so the Content-Security-Policy stays strict.
(function () {
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) { window.print(); }
  });
  // A calendar link marked data-agenda-auto opens the agenda on a phone unless the person chose a view.
  var auto = document.querySelector("[data-agenda-auto]");
  if (auto && window.matchMedia("(max-width: 575.98px)").matches) {
    var params = new URLSearchParams(window.location.search);
    if (!params.has("view")) { window.location.replace(auto.getAttribute("href")); }
  }
})();
