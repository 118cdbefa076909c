// Registers the service worker (reading never depends on it), runs "Save for offline", shows
// what is saved on the offline page, and removes the saved copy when the reader asks.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.caches) return;
  var root = document.documentElement;
  var lang = root.lang;
  var version = root.getAttribute("data-version");
  var REMOVED = "mai-removed";  // this tab only: after "Remove", do not save a new copy at once
  // the spoken phrases' format this browser plays: the worker keeps that one (Opus, else MP3)
  var audio = document.createElement("audio").canPlayType("audio/ogg; codecs=opus") ? "opus" : "mp3";

  function text(element, name) { return element ? element.getAttribute(name) || "" : ""; }

  // --- the offline page: what is saved here, a retry, and a word on search ---
  function showSaved() {
    var items = document.querySelectorAll("[data-saved-url]");
    if (!items.length) return;
    var checks = Array.prototype.map.call(items, function (item) {
      return caches.match(item.getAttribute("data-saved-url")).then(function (found) {
        item.hidden = !found;
        return !!found;
      });
    });
    Promise.all(checks).then(function (found) {
      var none = document.querySelector("[data-saved-none]");
      if (none) none.hidden = found.indexOf(true) !== -1;
    });
    var search = document.querySelector("[data-offline-search]");
    if (search) search.hidden = !/\/search(\.html)?$/.test(window.location.pathname);
    var retry = document.querySelector("[data-retry]");
    if (retry) {
      retry.setAttribute("href", window.location.href);
      retry.addEventListener("click", function (event) { event.preventDefault(); window.location.reload(); });
    }
  }

  // --- "Save for offline" ---
  var buttons = document.querySelectorAll("[data-save-offline]");
  var status = document.querySelector("[data-save-status]");
  var failedList = document.querySelector("[data-save-failed]");

  function report(message) {
    if (!status || message.which !== "all") return;
    if (message.type === "progress") status.textContent = message.done + " / " + message.total;
    if (message.type === "saved") status.textContent = text(status, "data-done");
    if (message.type === "failed") status.textContent = text(status, "data-failed");
    if (message.type === "partly-saved") {
      status.textContent = text(status, "data-partly");
      if (failedList) {
        failedList.textContent = "";
        message.failed.forEach(function (item) {
          var li = document.createElement("li");
          li.textContent = item.name;
          failedList.appendChild(li);
        });
        failedList.hidden = false;
      }
    }
  }

  // --- "Remove this site's saved copy from this phone" ---
  function removeSavedCopy(button) {
    var result = document.querySelector("[data-remove-status]");
    button.disabled = true;
    navigator.serviceWorker.getRegistrations().then(function (registrations) {
      return Promise.all(registrations.map(function (r) { return r.unregister(); }));
    }).then(function () {
      return caches.keys();
    }).then(function (names) {
      return Promise.all(names.map(function (name) { return caches.delete(name); }));
    }).then(function () {
      try { sessionStorage.setItem(REMOVED, "1"); } catch (error) { /* private mode */ }
      if (result) result.textContent = text(result, "data-done");
    }).catch(function () {
      if (result) result.textContent = text(result, "data-failed");
    }).then(function () { button.disabled = false; });
  }

  var remove = document.querySelector("[data-remove-saved]");
  if (remove) {
    remove.hidden = false;
    remove.addEventListener("click", function () { removeSavedCopy(remove); });
  }

  showSaved();
  var removed = false;
  try { removed = sessionStorage.getItem(REMOVED) === "1"; } catch (error) { /* private mode */ }
  if (removed) return;

  navigator.serviceWorker.addEventListener("message", function (event) { report(event.data || {}); });
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    // A page view: the worker keeps this language's guides, news list and wallet cards, once
    // per content version (no request at all when this version is already saved).
    registration.active.postMessage({ type: "visit", lang: lang, version: version, audio: audio });
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        if (failedList) failedList.hidden = true;
        registration.active.postMessage({ type: "save-all", lang: lang, version: version, audio: audio });
      });
    });
  }).catch(function () { /* no worker: pages still work online */ });
})();
