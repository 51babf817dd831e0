// The HTML report's only script (lgso_core/report_html.py inlines it, allowed by its hash):
// sort the letters table by a heading, filter it by authority type. The table is complete
// without it.
(function () {
  "use strict";
  var table = document.getElementById("letters");
  if (!table) { return; }
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  var rows = Array.prototype.slice.call(body.rows);
  function key(row, i) {
    var cell = row.cells[i];
    var raw = cell.getAttribute("data-sort");
    if (raw === null) { raw = cell.textContent.trim(); }
    var num = raw === "" ? NaN : Number(raw);
    return { empty: raw === "", num: num, text: raw.toLowerCase() };
  }
  function compare(a, b, asc) {
    if (a.empty || b.empty) { return a.empty === b.empty ? 0 : (a.empty ? 1 : -1); }
    var d = (!isNaN(a.num) && !isNaN(b.num)) ? a.num - b.num : (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
    return asc ? d : -d;
  }
  // The heading itself takes the click (a button inside it would not print on the pages
  // where Chromium repeats the heading row).
  Array.prototype.forEach.call(heads, function (th, i) {
    th.className += " sortable";
    th.tabIndex = 0;
    th.title = "Sort by " + th.textContent;
    function sort() {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var keyed = rows.map(function (row, n) { return { row: row, key: key(row, i), n: n }; });
      keyed.sort(function (a, b) { return compare(a.key, b.key, asc) || a.n - b.n; });
      var sorted = document.createDocumentFragment();
      keyed.forEach(function (k) { sorted.appendChild(k.row); });
      body.appendChild(sorted);
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
    });
  });
  var types = [];
  rows.forEach(function (row) {
    var t = row.getAttribute("data-type");
    if (types.indexOf(t) < 0) { types.push(t); }
  });
  types.sort();
  var label = document.createElement("label");
  label.textContent = "Show type";
  var select = document.createElement("select");
  select.id = "type-filter";
  [""].concat(types).forEach(function (t) {
    var option = document.createElement("option");
    option.value = t;
    option.textContent = t === "" ? "all types" : t;
    select.appendChild(option);
  });
  label.appendChild(select);
  var shown = document.createElement("span");
  function filter() {
    var n = 0;
    rows.forEach(function (row) {
      row.hidden = select.value !== "" && row.getAttribute("data-type") !== select.value;
      if (!row.hidden) { n += 1; }
    });
    shown.textContent = " " + n + " of " + rows.length + " letters";
  }
  select.addEventListener("change", filter);
  var controls = document.getElementById("controls");
  controls.appendChild(label);
  controls.appendChild(shown);
  filter();
}());
