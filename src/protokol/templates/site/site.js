// site.js: the little JavaScript of the site, no library, nothing fetched (works from file:// too).
// due.html: filters over the rows' data-* attributes (the full list is there without scripts);
// search.html: the index in search-index.js (window.PROTOKOL_SEARCH), matched by word stems.
(function () {
  "use strict";

  function dueFilters() {
    var form = document.getElementById("due-filters");
    if (!form) return;
    form.hidden = false;
    var selects = form.querySelectorAll("select");
    var rows = document.querySelectorAll("tr[data-id]");
    var shown = document.getElementById("due-shown");
    function apply() {
      var count = 0;
      rows.forEach(function (row) {
        var keep = true;
        selects.forEach(function (select) {
          if (select.value && (" " + (row.dataset[select.dataset.key] || "") + " ").indexOf(" " + select.value + " ") < 0) keep = false;
        });
        row.hidden = !keep;
        if (keep) count++;
      });
      document.querySelectorAll("section.bucket").forEach(function (section) {
        var n = section.querySelectorAll("tr[data-id]:not([hidden])").length;
        var counter = section.querySelector("[data-count]");
        if (counter) counter.textContent = n;
      });
      shown.textContent = "Показано решений: " + count + " из " + rows.length + ".";
      var params = [];
      selects.forEach(function (select) { if (select.value) params.push(select.id + "=" + encodeURIComponent(select.value)); });
      if (history.replaceState && location.protocol !== "file:") history.replaceState(null, "", params.length ? "?" + params.join("&") : location.pathname);
    }
    var query = new URLSearchParams(location.search);
    selects.forEach(function (select) {
      if (query.get(select.id)) select.value = query.get(select.id);
      select.addEventListener("change", apply);
    });
    apply();
  }

  // A light Russian stemmer: the longest of these endings is cut while at least four letters stay.
  var ENDINGS = ["иями", "ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "ией", "ия", "ие", "ий", "ый", "ой", "ых", "их", "ым", "им",
                 "ая", "яя", "ое", "ее", "ые", "ом", "ем", "ам", "ям", "ах", "ях", "ов", "ев", "ей", "ую", "юю",
                 "ию", "ии", "ть", "ся", "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й"];
  function fold(word) { return word.toLowerCase().replace(/ё/g, "е"); }
  function stem(word) {
    for (var i = 0; i < ENDINGS.length; i++) {
      var e = ENDINGS[i];
      if (word.length - e.length >= 4 && word.slice(-e.length) === e) return word.slice(0, -e.length);
    }
    return word;
  }

  function search() {
    var list = document.getElementById("search-results");
    if (!list || !window.PROTOKOL_SEARCH) return;
    var data = window.PROTOKOL_SEARCH;
    var input = document.getElementById("search-q");
    var status = document.getElementById("search-status");
    var vocabulary = Object.keys(data.words);
    function run(text) {
      list.textContent = "";
      var terms = (fold(text).match(/[0-9a-zа-я]+(?:-[0-9а-я]+)*/g) || []).filter(function (t) { return t.length > 1; });
      if (!terms.length) { status.textContent = ""; return; }
      var found = null;
      terms.forEach(function (term) {
        var prefix = stem(term), docs = {};
        vocabulary.forEach(function (word) {
          if (word.lastIndexOf(prefix, 0) === 0) data.words[word].forEach(function (n) { docs[n] = true; });
        });
        if (found === null) { found = docs; return; }
        Object.keys(found).forEach(function (n) { if (!docs[n]) delete found[n]; });
      });
      var hits = Object.keys(found).map(Number).sort(function (a, b) {
        return data.docs[b][2] < data.docs[a][2] ? -1 : data.docs[b][2] > data.docs[a][2] ? 1 : 0;
      });
      status.textContent = "Найдено протоколов: " + hits.length + ".";
      hits.forEach(function (n) {
        var doc = data.docs[n], item = document.createElement("li"), link = document.createElement("a");
        link.href = doc[0];
        link.textContent = doc[1];
        item.appendChild(link);
        item.appendChild(document.createTextNode(" — " + doc[2].split("-").reverse().join(".")));
        list.appendChild(item);
      });
    }
    var q = new URLSearchParams(location.search).get("q") || "";
    input.value = q;
    run(q);
    document.getElementById("search-form").addEventListener("submit", function (event) {
      event.preventDefault();
      run(input.value);
      if (history.replaceState && location.protocol !== "file:") history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    });
  }

  dueFilters();
  search();
})();
