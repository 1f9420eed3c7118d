// Multi-select unit picker ([data-unit-picker], templates/_unit_picker.html): typing asks the server
// for the top 20 matches (without diacritics) and fills the datalist; picking a name adds a chip with
// a hidden field named data-name, so 1.700 units never ship with the page. No inline script (CSP).
(function () {
  "use strict";

  function setUp(box) {
    if (box.getAttribute("data-picker-ready") === "1") { return; }
    box.setAttribute("data-picker-ready", "1");
    var input = box.querySelector("[data-picker-input]");
    var list = document.getElementById(input.getAttribute("list"));
    var chosen = box.querySelector("[data-picker-chosen]");
    var url = box.getAttribute("data-search-url");
    var name = box.getAttribute("data-name");
    var ids = {};
    var timer = null;
    var asked = "";

    function has(id) {
      return Array.prototype.some.call(chosen.querySelectorAll("input"), function (field) {
        return field.value === id;
      });
    }

    function add(id, label) {
      if (has(id)) { return; }
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

    function pick() {
      var value = input.value.trim();
      if (Object.prototype.hasOwnProperty.call(ids, value)) {
        add(ids[value], value);
        input.value = "";
        asked = "";
      }
    }

    function ask() {
      var query = input.value.trim();
      if (query.length < 2 || query === asked) { return; }
      asked = query;
      fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (units) { if (query === asked) { fill(units); pick(); } })
        .catch(function () { /* offline: the chips already chosen stay */ });
    }

    input.addEventListener("input", function () {
      pick();
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 200);
    });
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
    Array.prototype.forEach.call(document.querySelectorAll("[data-unit-picker]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
