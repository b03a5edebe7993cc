// "Salin" buttons: <button class="copy" data-copy="Rp125.123" hidden> copies the digits of
// data-copy (125123: what a banking app's amount and account fields take). The buttons stay
// hidden without JavaScript; the result is announced in #copy-status (aria-live) and shown
// on the button for a moment. Texts come from data-copied / data-copy-failed on .pay-details.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button.copy[data-copy]");
  if (!buttons.length) return;
  var canExec = !!(document.queryCommandSupported && document.queryCommandSupported("copy"));
  var canClipboard = !!(navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext);
  if (!canClipboard && !canExec) return;
  var status = document.getElementById("copy-status");

  function texts(button) {
    var box = button.closest("[data-copied]");
    return {
      done: (box && box.getAttribute("data-copied")) || "Disalin",
      failed: (box && box.getAttribute("data-copy-failed")) || ""
    };
  }

  // The old way: select the text in an off-screen field and ask the browser to copy it.
  function execCopy(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.setAttribute("aria-hidden", "true");
    field.tabIndex = -1;
    field.className = "copy-buffer";
    document.body.appendChild(field);
    var focused = document.activeElement;
    field.select();
    field.setSelectionRange(0, text.length);
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(field);
    if (focused && focused.focus) focused.focus();
    return ok;
  }

  function copy(text) {
    if (canClipboard) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return execCopy(text); }
      );
    }
    return Promise.resolve(execCopy(text));
  }

  function announce(message) {
    if (!status) return;
    // Cleared first so the same message is read again on a second copy.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  Array.prototype.forEach.call(buttons, function (button) {
    var label = button.firstChild; // the visible word ("Salin"); the rest is for screen readers
    var original = label && label.nodeType === 3 ? label.nodeValue : null;
    var timer = null;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = String(button.getAttribute("data-copy") || "").replace(/\D+/g, "");
      if (!text) return;
      var t = texts(button);
      copy(text).then(function (ok) {
        announce(ok ? t.done : t.failed);
        if (!ok || original === null) return;
        label.nodeValue = t.done;
        button.classList.add("copied");
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          label.nodeValue = original;
          button.classList.remove("copied");
        }, 2000);
      });
    });
  });
})();
