(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("article-data").textContent);
  var rows = data.rows, size = data.pageRows;
  var FILE = /^[0-9]{3,}_[0-9a-f]{16}\.txt$/, WARC = /^[A-Za-z0-9._-]+\.(warc|arc)(\.gz)?$/;
  var outlet = document.getElementById("f-outlet"), language = document.getElementById("f-language");
  var text = document.getElementById("f-text"), body = document.getElementById("article-rows");
  var info = document.getElementById("page-info");
  var prev = document.getElementById("prev"), next = document.getElementById("next");
  var shown = rows, page = 0;

  function cell(tr, value, cls) {
    var td = document.createElement("td");
    td.textContent = value;
    if (cls) { td.className = cls; }
    td.dir = "auto";
    tr.appendChild(td);
    return td;
  }
  function link(parent, href, label) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = label;
    parent.appendChild(a);
  }
  function row(r) {
    var tr = document.createElement("tr");
    var title = cell(tr, "", "headline");
    if (FILE.test(r[5])) { link(title, r[5], r[0]); } else { title.textContent = r[0]; }
    cell(tr, r[1]);
    cell(tr, r[2], "when");
    cell(tr, r[3]);
    cell(tr, String(r[4]), "num");
    var files = cell(tr, FILE.test(r[5]) ? "" : r[5]);
    if (FILE.test(r[5])) { link(files, r[5], r[5]); }
    if (r[6] && WARC.test(r[6])) {
      files.appendChild(document.createTextNode(" "));
      link(files, "warc/" + r[6] + "#offset=" + Number(r[7]), "WARC record @" + Number(r[7]));
    }
    return tr;
  }
  function render() {
    var pages = Math.max(1, Math.ceil(shown.length / size));
    page = Math.min(Math.max(page, 0), pages - 1);
    var fragment = document.createDocumentFragment();
    shown.slice(page * size, (page + 1) * size).forEach(function (r) { fragment.appendChild(row(r)); });
    body.replaceChildren(fragment);
    info.textContent = "page " + (page + 1) + " of " + pages + " · " + shown.length + " articles";
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }
  function filter() {
    var o = outlet.value, l = language.value, t = text.value.toLowerCase();
    shown = rows.filter(function (r) {
      return (!o || r[1] === o) && (!l || r[3] === l) && (!t || r[0].toLowerCase().indexOf(t) >= 0);
    });
  }
  function remember() {
    var state = new URLSearchParams();
    if (outlet.value) { state.set("outlet", outlet.value); }
    if (language.value) { state.set("language", language.value); }
    if (text.value) { state.set("q", text.value); }
    if (page) { state.set("page", String(page + 1)); }
    try { history.replaceState(null, "", "#" + state.toString()); } catch (e) { /* file: URL */ }
  }
  function changed() { filter(); page = 0; render(); remember(); }
  var start = new URLSearchParams(location.hash.slice(1));
  outlet.value = start.get("outlet") || "";
  language.value = start.get("language") || "";
  text.value = start.get("q") || "";
  page = (parseInt(start.get("page") || "1", 10) || 1) - 1;
  outlet.addEventListener("change", changed);
  language.addEventListener("change", changed);
  text.addEventListener("input", changed);
  prev.addEventListener("click", function () { page -= 1; render(); remember(); });
  next.addEventListener("click", function () { page += 1; render(); remember(); });
  filter();
  render();
}());
