// Counts a product opened from the search results, for the administrators' page of what
// shoppers search (/kelola/pencarian). The result links stay plain product addresses and the
// shopper never waits: on a click (or a middle click) on a result's name, the page hands the
// browser a beacon for /cari/klik with the query it shows (q) and the product's slug (p),
// which the browser sends in the background, even while the product page loads. Nothing
// about the shopper is sent or kept. Without JavaScript or sendBeacon nothing is counted.
(function () {
  "use strict";
  var results = document.querySelector("[data-search-query]");
  if (!results || !navigator.sendBeacon || !window.URLSearchParams) return;
  var query = results.getAttribute("data-search-query");
  if (!query) return;

  function opened(event) {
    if (event.type === "auxclick" && event.button !== 1) return;
    var target = event.target;
    var link = target && target.closest ? target.closest("a.card-link") : null;
    if (!link || !results.contains(link)) return;
    var slug = /\/produk\/([^\/?#]+)/.exec(link.pathname || "");
    if (!slug) return;
    try {
      // Urlencoded, as the shop's forms are (FormData would be multipart).
      var body = new URLSearchParams();
      body.append("q", query);
      body.append("p", decodeURIComponent(slug[1]));
      navigator.sendBeacon("/cari/klik", body);
    } catch (e) {
      // Counting never stands in the shopper's way.
    }
  }

  results.addEventListener("click", opened);
  results.addEventListener("auxclick", opened);
})();
