// @-mentions in the comment box ([data-mentions] around a textarea): typing "@" and two letters asks
// the server for matching units (name and short name, without diacritics) and lists them under the
// box; a click (or Enter on the first) replaces "@word" with the unit's token, e.g. "@QLCL ".
// No inline script, so the strict Content-Security-Policy holds.
(function () {
  "use strict";
  var WORD = /(^|[\s(])@([^\s@]{2,40})$/;

  function setUp(box) {
    var area = box.querySelector("textarea");
    var list = box.querySelector("[data-mention-list]");
    var url = box.getAttribute("data-mentions");
    var timer = null;
    if (!area || !list || !url) { return; }

    function hide() { list.classList.add("d-none"); while (list.firstChild) { list.removeChild(list.firstChild); } }

    function current() {
      var before = area.value.slice(0, area.selectionStart);
      var match = WORD.exec(before);
      return match ? { word: match[2], start: before.length - match[2].length - 1 } : null;
    }

    function insert(token) {
      var at = current();
      if (!at) { return; }
      var end = area.selectionStart;
      var text = "@" + token + " ";
      area.value = area.value.slice(0, at.start) + text + area.value.slice(end);
      var caret = at.start + text.length;
      area.setSelectionRange(caret, caret);
      area.focus();
      hide();
    }

    function show(units) {
      hide();
      units.forEach(function (unit) {
        var item = document.createElement("li");
        item.className = "list-group-item list-group-item-action small py-1";
        item.setAttribute("role", "option");
        item.setAttribute("data-mention", unit.mention);
        item.textContent = unit.name + " — @" + unit.mention;
        list.appendChild(item);
      });
      if (units.length) { list.classList.remove("d-none"); }
    }

    function ask() {
      var at = current();
      if (!at) { hide(); return; }
      var word = at.word.replace(/_/g, " ");
      fetch(url + "?q=" + encodeURIComponent(word), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (units) { var now = current(); if (now && now.word === at.word) { show(units); } })
        .catch(hide);
    }

    area.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(ask, 200); });
    area.addEventListener("keydown", function (event) {
      var first = list.querySelector("[data-mention]");
      if (event.key === "Enter" && first && !list.classList.contains("d-none")) {
        event.preventDefault();
        insert(first.getAttribute("data-mention"));
      } else if (event.key === "Escape") { hide(); }
    });
    list.addEventListener("mousedown", function (event) {
      var item = event.target.closest("[data-mention]");
      if (item) { event.preventDefault(); insert(item.getAttribute("data-mention")); }
    });
    area.addEventListener("blur", function () { window.setTimeout(hide, 150); });
  }

  function init() { Array.prototype.forEach.call(document.querySelectorAll("[data-mentions]"), setUp); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
}());
