// Quick exit and a visit that Back cannot replay (after GOV.UK's "Exit this page").
// Without JavaScript the button is a plain link and navigation is the browser's own.
// With it:
// - the quick exit blanks the page at once and replaces the current history entry, so Back does
//   not return here; Shift pressed three times within 5 seconds (each press shown and announced)
//   or Escape twice within a second leave too;
// - moving around the site never adds a history entry: links to the site's own pages and its
//   GET forms replace the current entry, and in-page links (contents, "Skip to content",
//   "Language") scroll and move focus without one. The whole visit is one entry, the one the
//   exit replaces.
(function () {
  "use strict";
  var button = document.querySelector(".quick-exit");
  if (!button) return;
  var target = button.getAttribute("href");
  var feedback = document.querySelector("[data-exit-feedback]");
  var SHIFT_PRESSES = 3, SHIFT_WINDOW = 5000, ESCAPE_PRESSES = 2, ESCAPE_WINDOW = 1000;

  function say(text) {
    if (feedback) feedback.textContent = text || "";  // a live region: screen readers read it out
  }

  function leave(event) {
    if (event) event.preventDefault();
    say(feedback && feedback.getAttribute("data-leaving"));
    document.title = "";
    document.documentElement.classList.add("exiting");  // CSS hides everything at once
    window.location.replace(target);
  }

  // Shift: the first press opens a 5-second window; each press says how many are left.
  var shiftPresses = 0, shiftTimer = null;
  function shift(event) {
    shiftPresses += 1;
    if (shiftPresses >= SHIFT_PRESSES) { clearTimeout(shiftTimer); leave(event); return; }
    say(feedback && feedback.getAttribute(shiftPresses === 1 ? "data-two-more" : "data-one-more"));
    if (shiftPresses === 1) {
      shiftTimer = setTimeout(function () {
        shiftPresses = 0;
        say(feedback && feedback.getAttribute("data-expired"));
        setTimeout(function () { if (!shiftPresses) say(""); }, 2000);
      }, SHIFT_WINDOW);
    }
  }

  var escapePresses = 0, escapeTimer = null;
  function escape(event) {
    escapePresses += 1;
    clearTimeout(escapeTimer);
    escapeTimer = setTimeout(function () { escapePresses = 0; }, ESCAPE_WINDOW);
    if (escapePresses >= ESCAPE_PRESSES) leave(event);
  }

  button.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.repeat) return;
    if (event.key === "Shift") { shift(event); return; }
    if (event.key === "Escape") { escape(event); return; }
    // another key between the presses (typing a capital letter) starts the count again
    if (shiftPresses) { clearTimeout(shiftTimer); shiftPresses = 0; say(""); }
    escapePresses = 0;
  });

  // --- one history entry per visit ------------------------------------------------------------

  function sameSite(url) {
    return url.origin === window.location.origin;
  }

  function showInPage(id) {
    var element = id && document.getElementById(id);
    if (!element) return false;
    if (!element.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(element.tagName)) {
      element.setAttribute("tabindex", "-1");  // so focus (and a screen reader) moves there too
    }
    element.scrollIntoView();
    element.focus({ preventScroll: true });
    history.replaceState(history.state, "", "#" + id);  // the address says where, no new entry
    return true;
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link === button || link.hasAttribute("download") || (link.target && link.target !== "_self")) return;
    var url = new URL(link.href, window.location.href);
    if (!sameSite(url)) return;
    var here = url.pathname === window.location.pathname && url.search === window.location.search;
    if (here && url.hash && showInPage(decodeURIComponent(url.hash.slice(1)))) {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    window.location.replace(url.href);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "get").toLowerCase() !== "get") return;
    var url = new URL(form.action || window.location.href, window.location.href);
    if (!sameSite(url)) return;
    event.preventDefault();
    url.search = new URLSearchParams(new FormData(form)).toString();
    window.location.replace(url.href);
  });
})();
