// Search-as-you-type for the header search box. Without JavaScript the box is a plain form
// that submits to /cari; with it, product names from /cari/saran appear as the visitor types.
(function () {
  "use strict";
  var input = document.getElementById("site-search");
  var list = document.getElementById("site-search-suggestions");
  if (!input || !list || !window.fetch) return;
  // The form's own address (`/cari`, or `/en/cari` on an English page), so suggestions link
  // to pages in the language of the page.
  var endpoint = ((input.form && input.form.getAttribute("action")) || "/cari") + "/saran?q=";
  var timer = null;
  var last = "";
  var active = -1;

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  // The same product can come back more than once (several matching fields, or two
  // listings with one name): keep the first of each name and of each address.
  function distinct(items) {
    var names = {};
    var urls = {};
    return items.filter(function (item) {
      if (!item || !item.url || !item.name) return false;
      var name = String(item.name).trim().toLowerCase();
      var url = String(item.url);
      if (names[name] || urls[url]) return false;
      names[name] = true;
      urls[url] = true;
      return true;
    });
  }

  function show(items) {
    items = distinct(items);
    list.innerHTML = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = "site-search-option-" + i;
      li.setAttribute("role", "option");
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.name;
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (q === last) return;
    last = q;
    if (q.length < 2) { close(); return; }
    fetch(endpoint + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (data) { if (data.query === q || input.value.trim() === q) show(data.suggestions || []); })
      .catch(close);
  }

  function move(step) {
    var options = list.querySelectorAll("[role=option]");
    if (!options.length) return;
    if (active >= 0) options[active].removeAttribute("aria-selected");
    active = (active + step + options.length) % options.length;
    options[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[active].id);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden) return;
    if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Escape") { close(); }
    else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      window.location.href = list.querySelectorAll("a")[active].href;
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 200); });
})();
