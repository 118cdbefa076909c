// Quick exit (the GOV.UK "Exit this page" pattern). Without JavaScript the button is a plain
// link. With it: the page goes blank at once, the current history entry is replaced so Back
// does not return here, and Shift pressed three times or Escape twice also leave.
(function () {
  "use strict";
  var button = document.querySelector(".quick-exit");
  if (!button) return;
  var target = button.getAttribute("href");

  function leave(event) {
    if (event) event.preventDefault();
    document.title = "";
    document.documentElement.classList.add("exiting");  // CSS hides everything at once
    window.location.replace(target);
  }

  function counter(key, needed) {
    var presses = 0, timer = null;
    return function (event) {
      if (event.key !== key) { presses = 0; return; }
      presses += 1;
      clearTimeout(timer);
      timer = setTimeout(function () { presses = 0; }, 1000);
      if (presses >= needed) leave(event);
    };
  }

  var shift = counter("Shift", 3), escape = counter("Escape", 2);
  button.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.repeat) return;
    shift(event);
    escape(event);
  });
})();
