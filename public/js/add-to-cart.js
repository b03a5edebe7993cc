// Adding to the cart from a product page without leaving it: the form is sent in the
// background asking for JSON (handlers/public/cart.rs answers with the message in the
// buyer's language and sets the same cookies as a plain post), the header badge is drawn
// again and a toast says what happened, with a link to the cart. Anything unexpected (an
// old browser, a network error, an answer that is not JSON) sends the form the ordinary way,
// which is also what happens without script.
(function () {
  "use strict";
  var form = document.querySelector("form.add-to-cart");
  var toast = document.getElementById("cart-toast");
  if (!form || !toast || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  var hideTimer = null;

  function show(message, url, linkText) {
    toast.textContent = "";
    toast.appendChild(document.createTextNode(message + " "));
    if (url) {
      var link = document.createElement("a");
      link.href = url;
      link.textContent = linkText;
      toast.appendChild(link);
    }
    toast.hidden = false;
    if (hideTimer) clearTimeout(hideTimer);
    hideTimer = setTimeout(function () { toast.hidden = true; }, 6000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("application/json") !== 0) throw new Error("not json");
      return response.json();
    }).then(function (answer) {
      if (button) button.disabled = false;
      if (window.etalaseCartCount) window.etalaseCartCount();
      show(answer.message, answer.cart_url, form.getAttribute("data-cart-link") || "");
    }).catch(function () {
      form.submit();
    });
  });
})();
