// The back-office menu scrolls sideways on a phone: bring the current page's item into view.
(function () {
  var current = document.querySelector('.staff-nav a[aria-current="page"]');
  if (!current) return;
  var list = current.closest('ul');
  if (list && list.scrollWidth > list.clientWidth) {
    list.scrollLeft = current.offsetLeft - list.offsetLeft - 16;
  }
})();
