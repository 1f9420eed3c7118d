// Small progressive behaviours; no inline scripts so the Content-Security-Policy stays strict.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
    return;
  }
  // Long work (imports): disable the button and show progress so nobody submits twice.
  var busy = form.querySelector("[data-busy-text]");
  if (busy) {
    busy.disabled = true;
    busy.textContent = busy.getAttribute("data-busy-text");
    var bar = form.querySelector(".busy-indicator");
    if (bar) { bar.classList.remove("d-none"); }
  }
});
