// The time left to pay an unpaid bank transfer. The order page writes the deadline as text in
// the reader's language and zone inside <time datetime="ISO 8601">, in an element marked
// data-countdown that also carries the texts to show, in the page's language (locales/*.ftl):
//   data-left: hours and minutes left, with {h} and {m} to fill in;
//   data-left-minutes: under an hour left, with {m};
//   data-over: the deadline has passed.
// This script fills the element's .countdown with the time left and refreshes it every 30 s;
// it holds no text of its own. Without JavaScript the deadline alone stays on the page.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-countdown]");
  if (!boxes.length) return;

  function fill(template, hours, minutes) {
    return String(template || "")
      .replace("{h}", String(hours))
      .replace("{m}", String(minutes));
  }

  // Writes the time left into one box; true while the deadline is still ahead.
  function update(box) {
    var time = box.querySelector("time[datetime]");
    var out = box.querySelector(".countdown");
    if (!time || !out) return false;
    var deadline = Date.parse(time.getAttribute("datetime"));
    if (isNaN(deadline)) return false;
    var left = deadline - Date.now();
    var text;
    if (left <= 0) {
      text = box.getAttribute("data-over") || "";
    } else {
      // Whole minutes left, at least one while any time is left.
      var minutes = Math.max(1, Math.floor(left / 60000));
      var hours = Math.floor(minutes / 60);
      var rest = minutes % 60;
      text = hours > 0
        ? fill(box.getAttribute("data-left"), hours, rest)
        : fill(box.getAttribute("data-left-minutes"), hours, rest);
    }
    out.textContent = text;
    out.hidden = !text;
    return left > 0;
  }

  function tick() {
    var running = false;
    Array.prototype.forEach.call(boxes, function (box) {
      if (update(box)) running = true;
    });
    if (running) window.setTimeout(tick, 30000);
  }

  tick();
})();
