// Small progressive behaviours; no inline scripts so the Content-Security-Policy stays strict.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
    return;
  }
  // Long work (imports): show progress and ignore a second click. The button is only styled as
  // disabled: a really disabled submitter would drop its name/value from the submitted form.
  var busy = event.submitter && event.submitter.hasAttribute("data-busy-text") ? event.submitter
    : form.querySelector("[data-busy-text]");
  if (!busy) { return; }
  if (form.dataset.submitted === "1") {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "1";
  busy.classList.add("disabled");
  busy.setAttribute("aria-disabled", "true");
  if (busy.tagName === "INPUT") { busy.value = busy.getAttribute("data-busy-text"); }
  else { busy.textContent = busy.getAttribute("data-busy-text"); }
  var bar = form.querySelector(".busy-indicator");
  if (bar) { bar.classList.remove("d-none"); }
});
