// Card payment on the order page with Stripe's Payment Element. Without JavaScript the page
// still shows the order and its state; paying by card needs Stripe.js.
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  if (!form || typeof window.Stripe !== "function") return;
  var stripe = window.Stripe(form.dataset.key);
  var elements = stripe.elements({ clientSecret: form.dataset.secret, locale: document.documentElement.lang || "id" });
  var payment = elements.create("payment");
  payment.mount("#payment-element");
  var message = document.getElementById("card-message");
  var button = document.getElementById("card-submit");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    stripe
      .confirmPayment({ elements: elements, confirmParams: { return_url: form.dataset.return } })
      .then(function (result) {
        if (result && result.error) {
          message.textContent = result.error.message || "";
          message.hidden = false;
          button.disabled = false;
        }
      });
  });
})();
