// Registers the service worker (reading never depends on it) and runs "Save for offline".
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.caches) return;
  var lang = document.documentElement.lang;
  var button = document.querySelector("[data-save-offline]");
  var status = document.querySelector("[data-save-status]");

  navigator.serviceWorker.addEventListener("message", function (event) {
    var message = event.data || {};
    if (!status || message.which !== "all" && message.type !== "progress") return;
    if (message.type === "progress") status.textContent = message.done + " / " + message.total;
    if (message.type === "saved") status.textContent = status.getAttribute("data-done");
    if (message.type === "failed") status.textContent = status.getAttribute("data-failed");
  });

  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    // One visit keeps this language's guides, news list and wallet cards.
    registration.active.postMessage({ type: "save-core", lang: lang });
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        registration.active.postMessage({ type: "save-all", lang: lang });
      });
    }
  }).catch(function () { /* no worker: pages still work online */ });
})();
