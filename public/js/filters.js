// The search filters live in one <details class="filter-sheet">. Without JavaScript it is a
// "Filter" button that opens the form (as a bottom sheet on a phone). With it: from 768 px
// the form is a sidebar that stays open; on a phone the sheet also closes with Escape or a
// tap on the dimmed page, and hands the focus back to its button.
(function () {
  "use strict";
  var sheet = document.getElementById("filter-sheet");
  if (!sheet) return;
  var summary = sheet.querySelector("summary");
  var wide = window.matchMedia ? window.matchMedia("(min-width: 48rem)") : null;

  function isWide() {
    return !!(wide && wide.matches);
  }

  function fit() {
    if (isWide()) {
      sheet.open = true;
    } else if (sheet.open && !sheet.hasAttribute("data-opened")) {
      // Coming down from a wide window: the sidebar becomes the closed button again.
      sheet.open = false;
    }
  }

  function close() {
    sheet.open = false;
    if (summary) summary.focus();
  }

  fit();
  if (wide) {
    if (wide.addEventListener) wide.addEventListener("change", fit);
    else if (wide.addListener) wide.addListener(fit);
  }

  // Remember whether the visitor opened the sheet on a phone (then a resize keeps it open).
  sheet.addEventListener("toggle", function () {
    if (isWide()) return;
    if (sheet.open) sheet.setAttribute("data-opened", "");
    else sheet.removeAttribute("data-opened");
  });

  document.addEventListener("keydown", function (e) {
    if ((e.key === "Escape" || e.key === "Esc") && sheet.open && !isWide()) {
      e.preventDefault();
      close();
    }
  });

  // The dimmed backdrop is the <details> itself (its ::before): a tap there closes the sheet.
  sheet.addEventListener("click", function (e) {
    if (e.target === sheet && sheet.open && !isWide()) close();
  });
})();
