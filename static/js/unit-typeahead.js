// Unit choices at province scale: 1.700 units never ship with a page. Typing asks the server for the
// top 20 matches (without diacritics: "tran phu" finds "Trần Phú") and fills a datalist.
// - One unit: <input data-unit-search="/units/search" data-unit-target="hidden-id" list="datalist-id">;
//   picking a name puts its id in the hidden field the form submits. A cleared field means "every unit".
// - Several units: [data-unit-picker] (templates/_unit_picker.html); each pick becomes a removable chip
//   with a hidden field named data-name.
// No inline script, so the strict CSP holds.
(function () {
  "use strict";

  // Fill the datalist with the units; returns name → id.
  function fill(list, units) {
    var ids = {};
    while (list.firstChild) { list.removeChild(list.firstChild); }
    units.forEach(function (unit) {
      var option = document.createElement("option");
      option.value = unit.name;
      list.appendChild(option);
      ids[unit.name] = String(unit.id);
    });
    return ids;
  }

  // Ask for matches 200 ms after the last key; found(ids) runs with the answer still current.
  function suggest(input, list, url, found) {
    var timer = null;
    var asked = "";
    function ask() {
      var query = input.value.trim();
      if (query.length < 2 || query === asked) { return; }
      asked = query;
      fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (units) { if (query === asked) { found(fill(list, units)); } })
        .catch(function () { /* offline: the field keeps its last choice */ });
    }
    return {
      later: function () { window.clearTimeout(timer); timer = window.setTimeout(ask, 200); },
      reset: function () { asked = ""; }
    };
  }

  function has(map, key) { return Object.prototype.hasOwnProperty.call(map, key); }

  function setUpOne(input) {
    if (input.getAttribute("data-unit-ready") === "1") { return; }
    input.setAttribute("data-unit-ready", "1");
    var hidden = document.getElementById(input.getAttribute("data-unit-target"));
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-unit-search");
    var ids = {};
    if (!hidden || !list || !url) { return; }

    function pick() {
      var value = input.value.trim();
      if (!value) { hidden.value = ""; return; }
      if (has(ids, value)) { hidden.value = ids[value]; }
    }
    var search = suggest(input, list, url, function (found) { ids = found; pick(); });

    input.addEventListener("input", function () {
      pick();
      if (!input.value.trim()) { hidden.value = ""; }
      search.later();
    });
    input.addEventListener("change", pick);
    if (input.form) {
      input.form.addEventListener("submit", function () {
        pick();
        // a name typed but never picked must not keep filtering on the previous unit
        if (input.value.trim() && !has(ids, input.value.trim()) && input.value !== input.defaultValue) {
          hidden.value = "";
        }
      });
    }
  }

  function chip(chosen, name, id, label) {
    var taken = Array.prototype.some.call(chosen.querySelectorAll("input"), function (f) { return f.value === id; });
    if (taken) { return; }
    var item = document.createElement("li");
    item.className = "list-inline-item badge text-bg-light border mb-1";
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = name;
    field.value = id;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn-close btn-close-sm ms-1";
    remove.setAttribute("aria-label", "Bỏ " + label);
    remove.setAttribute("data-picker-remove", "");
    item.appendChild(field);
    item.appendChild(document.createTextNode(label));
    item.appendChild(remove);
    chosen.appendChild(item);
  }

  function setUpMany(box) {
    if (box.getAttribute("data-picker-ready") === "1") { return; }
    box.setAttribute("data-picker-ready", "1");
    var input = box.querySelector("[data-picker-input]");
    var list = document.getElementById(input.getAttribute("list"));
    var chosen = box.querySelector("[data-picker-chosen]");
    var name = box.getAttribute("data-name");
    var ids = {};
    var search = suggest(input, list, box.getAttribute("data-search-url"), function (found) { ids = found; pick(); });

    function pick() {
      var value = input.value.trim();
      if (has(ids, value)) {
        chip(chosen, name, ids[value], value);
        input.value = "";
        search.reset();
      }
    }

    input.addEventListener("input", function () { pick(); search.later(); });
    input.addEventListener("change", pick);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); pick(); }
    });
    chosen.addEventListener("click", function (event) {
      var button = event.target.closest("[data-picker-remove]");
      if (button) { button.closest("li").remove(); }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-unit-search]"), setUpOne);
    Array.prototype.forEach.call(document.querySelectorAll("[data-unit-picker]"), setUpMany);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
