// Type-ahead for unit fields: <input data-unit-search="/units/search" data-unit-target="hidden-id"
// list="datalist-id">. Typing asks the server for the top 20 matches (without diacritics: "tran phu"
// finds "Trần Phú") and fills the datalist; picking a name puts its id in the hidden field the form
// submits. A cleared field means "every unit". No inline script, so the strict CSP holds.
(function () {
  "use strict";

  function setUp(input) {
    if (input.getAttribute("data-unit-ready") === "1") { return; }
    input.setAttribute("data-unit-ready", "1");
    var hidden = document.getElementById(input.getAttribute("data-unit-target"));
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-unit-search");
    var ids = {};
    var timer = null;
    var asked = "";
    if (!hidden || !list || !url) { return; }

    function fill(units) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      ids = {};
      units.forEach(function (unit) {
        var option = document.createElement("option");
        option.value = unit.name;
        list.appendChild(option);
        ids[unit.name] = String(unit.id);
      });
    }

    function ask() {
      var query = input.value.trim();
      if (query.length < 2 || query === asked) { return; }
      asked = query;
      fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (units) { if (query === asked) { fill(units); pick(); } })
        .catch(function () { /* offline: the field keeps its last choice */ });
    }

    function pick() {
      var value = input.value.trim();
      if (!value) { hidden.value = ""; return; }
      if (Object.prototype.hasOwnProperty.call(ids, value)) { hidden.value = ids[value]; }
    }

    input.addEventListener("input", function () {
      pick();
      if (!input.value.trim()) { hidden.value = ""; }
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 200);
    });
    input.addEventListener("change", pick);
    if (input.form) {
      input.form.addEventListener("submit", function () {
        pick();
        // a name typed but never picked must not keep filtering on the previous unit
        if (input.value.trim() && !Object.prototype.hasOwnProperty.call(ids, input.value.trim())
            && input.value !== input.defaultValue) { hidden.value = ""; }
      });
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-unit-search]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
