// The booth till: each sale gets its own key on this phone and waits in a local queue
// (localStorage) until the server has answered it. A dropped connection keeps the sale and it
// is sent again when the signal returns; the key makes sure it is counted once.
// QRIS: "Tampilkan QRIS" shows the unit's static QRIS image full-screen with the amount to pay;
// "Pembayaran diterima" puts the sale in the same queue as QRIS. "QRIS dinamis" makes a charge
// through Midtrans, shows its code and asks every 3 s whether it was paid: that sale is recorded
// by the server when Midtrans says so, never by this queue.
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

  // Puts the sale on the form in the queue as paid by `method`, and sends what waits.
  function queueSale(method) {
    var queue = load();
    queue.push({
      kunci: newKey(),
      produk: form.elements.produk.value,
      jumlah: form.elements.jumlah.value,
      cara: method
    });
    save(queue);
    form.elements.jumlah.value = "1";
    flush();
  }

  // The product and amount of the sale on the form: "2 × Kopi" and "Rp50.000".
  function saleOnForm() {
    var option = form.elements.produk.options[form.elements.produk.selectedIndex];
    var quantity = parseInt(form.elements.jumlah.value, 10) || 1;
    var price = option ? parseInt(option.dataset.price, 10) || 0 : 0;
    return {
      item: quantity + " × " + (option ? option.dataset.name : ""),
      amount: "Rp" + (price * quantity).toLocaleString("id-ID")
    };
  }

  function open(dialog) {
    if (typeof dialog.showModal === "function") dialog.showModal();
    else dialog.setAttribute("open", "");
  }
  function close(dialog) {
    if (typeof dialog.close === "function") dialog.close();
    else dialog.removeAttribute("open");
  }

  // The unit's static QRIS: shown full-screen while QRIS is chosen; confirmed by the seller.
  var qrisLink = document.getElementById("till-qris-show");
  var qrisDialog = document.getElementById("till-qris");
  function methodChosen() {
    var method = form.querySelector("input[name=cara]:checked");
    return method ? method.value : "cash";
  }
  function showQrisLink() {
    if (qrisLink) qrisLink.hidden = methodChosen() !== "qris";
  }
  if (qrisLink && qrisDialog) {
    qrisLink.addEventListener("click", function (event) {
      event.preventDefault();
      if (!form.reportValidity()) return;
      var sale = saleOnForm();
      document.getElementById("till-qris-amount").textContent = sale.amount;
      document.getElementById("till-qris-item").textContent = sale.item;
      open(qrisDialog);
    });
    document.getElementById("till-qris-paid").addEventListener("click", function () {
      close(qrisDialog);
      queueSale("qris");
    });
    document.getElementById("till-qris-close").addEventListener("click", function () {
      close(qrisDialog);
    });
    Array.prototype.forEach.call(form.querySelectorAll("input[name=cara]"), function (input) {
      input.addEventListener("change", showQrisLink);
    });
    showQrisLink();
  }

  // A dynamic QRIS charge through Midtrans: made on the server, its code shown here, its state
  // asked every 3 s until it is paid or over.
  var dynamicButton = document.getElementById("till-dynamic");
  var chargeDialog = document.getElementById("till-charge");
  var charge = null;
  var chargePaid = false;
  var polling = null;
  function stopPolling() {
    if (polling) window.clearInterval(polling);
    polling = null;
  }
  function showCharge(answer) {
    var state = document.getElementById("till-charge-state");
    state.textContent = answer.message;
    state.classList.toggle("notice-success", answer.status === "paid");
    state.classList.toggle("notice-warning", answer.status !== "paid" && answer.status !== "pending");
    var pending = answer.status === "pending";
    chargePaid = answer.status === "paid";
    document.getElementById("till-charge-cancel").hidden = !pending;
    document.getElementById("till-charge-done").hidden = pending;
    if (!pending) {
      stopPolling();
      document.getElementById("till-charge-code").hidden = true;
    }
  }
  function askCharge(url, options) {
    return window
      .fetch(url, Object.assign({
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      }, options || {}))
      .then(function (res) {
        var json = (res.headers.get("content-type") || "").indexOf("application/json") === 0;
        if (!json) throw new Error("not JSON: " + res.status);
        return res.json();
      });
  }
  function poll() {
    if (!charge) return;
    askCharge(charge.status_url)
      .then(showCharge)
      .catch(function () { /* no signal for a moment: ask again at the next tick */ });
  }
  if (dynamicButton && chargeDialog) {
    form.addEventListener("click", function (event) {
      // Remembered for browsers that do not tell the submit event which button sent it.
      if (event.target && event.target.type === "submit") form.lastSubmitter = event.target;
    });
    document.getElementById("till-charge-close").addEventListener("click", function () {
      close(chargeDialog);
    });
    document.getElementById("till-charge-done").addEventListener("click", function () {
      close(chargeDialog);
    });
    chargeDialog.addEventListener("close", function () {
      var paid = chargePaid;
      stopPolling();
      charge = null;
      chargePaid = false;
      // A paid charge is a new sale in the list below: show the page again with it.
      if (paid) window.location.reload();
    });
    document.getElementById("till-charge-cancel").addEventListener("click", function () {
      if (!charge) return;
      var body = new URLSearchParams();
      body.set("csrf_token", form.elements.csrf_token.value);
      askCharge(charge.cancel_url, { method: "POST", body: body })
        .then(showCharge)
        .catch(function () { say(form.dataset.chargeOffline, true); });
    });
  }
  function startCharge() {
    var body = new URLSearchParams();
    body.set("csrf_token", form.elements.csrf_token.value);
    body.set("kunci", newKey());
    body.set("produk", form.elements.produk.value);
    body.set("jumlah", form.elements.jumlah.value);
    body.set("cara", "qris");
    dynamicButton.disabled = true;
    askCharge(dynamicButton.formAction, { method: "POST", body: body })
      .then(function (answer) {
        dynamicButton.disabled = false;
        if (!answer.charge) {
          say(answer.message, true);
          return;
        }
        charge = answer.charge;
        var code = document.getElementById("till-charge-code");
        // The SVG is drawn by the server from Midtrans' payload.
        code.innerHTML = charge.qr_svg || "";
        code.hidden = !charge.qr_svg;
        document.getElementById("till-charge-amount").textContent = charge.total;
        document.getElementById("till-charge-item").textContent = charge.quantity + " × " + charge.product;
        showCharge(answer);
        form.elements.jumlah.value = "1";
        open(chargeDialog);
        stopPolling();
        if (answer.status === "pending") polling = window.setInterval(poll, 3000);
      })
      .catch(function () {
        dynamicButton.disabled = false;
        say(form.dataset.chargeOffline, true);
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var submitter = event.submitter || form.lastSubmitter;
    form.lastSubmitter = null;
    if (dynamicButton && chargeDialog && submitter === dynamicButton) {
      startCharge();
      return;
    }
    queueSale(methodChosen());
  });
  window.addEventListener("online", flush);
  window.setInterval(flush, 10000);
  show(load());
  flush();
})();
