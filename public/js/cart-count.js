// The cart badge in the header: the number of pieces from the `etalase_jumlah` cookie, which
// the shop sets whenever the cart changes (pages are cached for every visitor alike, so the
// number cannot be written into the HTML). Without script the header simply has no badge.
// `window.etalaseCartCount()` draws it again after a change made without leaving the page
// (js/add-to-cart.js).
(function () {
  "use strict";
  function render() {
    var link = document.querySelector(".cart-link");
    if (!link) return;
    var old = link.querySelector(".cart-count");
    if (old) old.remove();
    var match = document.cookie.match(/(?:^|;\s*)etalase_jumlah=(\d+)/);
    var pieces = match ? parseInt(match[1], 10) : 0;
    if (!pieces) return;
    var badge = document.createElement("span");
    badge.className = "cart-count";
    badge.textContent = pieces > 99 ? "99+" : String(pieces);
    var label = document.createElement("span");
    label.className = "sr-only";
    label.textContent = " " + (link.getAttribute("data-items-label") || "");
    badge.appendChild(label);
    link.appendChild(badge);
  }
  window.etalaseCartCount = render;
  render();
})();
