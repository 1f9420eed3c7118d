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

// Bulk actions on a list (data-bulk-form): "select all" (data-bulk-all) and a count of the chosen rows
// (data-bulk-row). Without the script each row's checkbox still submits on its own.
(function () {
  var form = document.querySelector("[data-bulk-form]");
  if (!form) { return; }
  var all = document.querySelector("[data-bulk-all]");
  var count = form.querySelector("[data-bulk-count]");
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-bulk-row]"));
  function chosen() { return rows.filter(function (box) { return box.checked; }).length; }
  function refresh() {
    var n = chosen();
    if (count) { count.textContent = n ? "Đã chọn " + n + " dòng" : ""; }
    if (all) { all.checked = n > 0 && n === rows.length; all.indeterminate = n > 0 && n < rows.length; }
  }
  if (all) {
    all.addEventListener("change", function () {
      rows.forEach(function (box) { box.checked = all.checked; });
      refresh();
    });
  }
  rows.forEach(function (box) { box.addEventListener("change", refresh); });
  form.addEventListener("submit", function (event) {
    if (!chosen()) { event.preventDefault(); window.alert("Hãy chọn ít nhất một dòng trong danh sách."); }
  });
  refresh();
}());
