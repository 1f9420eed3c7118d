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

// Bulk actions on a list (data-bulk-form): each "select all" box (data-bulk-all) selects the rows
// (data-bulk-row) of its own table or section; a count of the chosen rows. Without the script each
// row's checkbox still submits on its own.
(function () {
  var form = document.querySelector("[data-bulk-form]");
  if (!form) { return; }
  var count = form.querySelector("[data-bulk-count]");
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-bulk-row]"));
  var alls = Array.prototype.slice.call(document.querySelectorAll("[data-bulk-all]"));
  function scope(all) {
    var box = all.closest("table") || all.closest("section");
    return rows.filter(function (row) { return box && box.contains(row); });
  }
  function checked(list) { return list.filter(function (box) { return box.checked; }).length; }
  function refresh() {
    var n = checked(rows);
    if (count) { count.textContent = n ? "Đã chọn " + n + " dòng" : ""; }
    alls.forEach(function (all) {
      var own = scope(all), k = checked(own);
      all.checked = k > 0 && k === own.length;
      all.indeterminate = k > 0 && k < own.length;
    });
  }
  alls.forEach(function (all) {
    all.addEventListener("change", function () {
      scope(all).forEach(function (box) { box.checked = all.checked; });
      refresh();
    });
  });
  rows.forEach(function (box) { box.addEventListener("change", refresh); });
  form.addEventListener("submit", function (event) {
    if (!checked(rows)) { event.preventDefault(); window.alert("Hãy chọn ít nhất một dòng trong danh sách."); }
  });
  refresh();
}());
