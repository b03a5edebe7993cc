// The booth till: each sale gets its own key on this phone and waits in a local queue
// (localStorage) until the server has answered it. A dropped connection keeps the sale and it
// is sent again when the signal returns; the key makes sure it is counted once.
(function () {
  "use strict";
  var form = document.getElementById("till");
  if (!form || !window.fetch || !window.localStorage || !window.URLSearchParams) return;
  var storeKey = form.dataset.queue;
  var status = document.getElementById("till-status");
  var queueNote = document.getElementById("till-queue");
  var sending = false;

  function load() {
    try {
      return JSON.parse(localStorage.getItem(storeKey)) || [];
    } catch (e) {
      return [];
    }
  }
  function save(queue) {
    localStorage.setItem(storeKey, JSON.stringify(queue));
    show(queue);
  }
  function show(queue) {
    queueNote.hidden = queue.length === 0;
    queueNote.textContent = queueNote.dataset.queued.replace("{n}", String(queue.length));
  }
  function say(text, warning) {
    status.textContent = text;
    status.hidden = false;
    status.classList.toggle("notice-warning", !!warning);
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  function settled(key) {
    save(load().filter(function (s) { return s.kunci !== key; }));
  }

  // Sends the oldest waiting sale, then the next, until the queue is empty or the line drops.
  function flush() {
    if (sending) return;
    var queue = load();
    if (!queue.length) return;
    sending = true;
    var sale = queue[0];
    var body = new URLSearchParams(sale);
    body.set("csrf_token", form.elements.csrf_token.value);
    window
      .fetch(form.action, {
        method: "POST",
        body: body,
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      })
      .then(function (res) {
        var json = (res.headers.get("content-type") || "").indexOf("application/json") === 0;
        if (!json || res.status === 403) {
          // Signed out (sent to the sign-in page) or the session changed: keep the sale.
          sending = false;
          say(form.dataset.session, true);
          return;
        }
        if (res.status >= 500) throw new Error("server " + res.status);
        return res.json().then(function (answer) {
          // recorded, duplicate and refused are all final answers for this key.
          settled(sale.kunci);
          say(answer.message, answer.status === "refused");
          sending = false;
          flush();
        });
      })
      .catch(function () {
        sending = false;
        say(form.dataset.offline, true);
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var method = form.querySelector("input[name=cara]:checked");
    var queue = load();
    queue.push({
      kunci: newKey(),
      produk: form.elements.produk.value,
      jumlah: form.elements.jumlah.value,
      cara: method ? method.value : "cash"
    });
    save(queue);
    form.elements.jumlah.value = "1";
    flush();
  });
  window.addEventListener("online", flush);
  window.setInterval(flush, 10000);
  show(load());
  flush();
})();
