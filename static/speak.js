// Speak for me: turns each audio player into one large Play/Stop button, and "Play all" into a
// button that plays a list in order with a pause between phrases. Without this script the page
// keeps the browser's own players. Only one phrase plays at a time; nothing loads until pressed.
(function () {
  "use strict";
  var page = document.querySelector("[data-speak]");
  if (!page) return;
  var PAUSE_MS = 900;  // between phrases of "Play all": time for the officer to hear each one
  var status = document.querySelector("[data-speak-status]");
  var current = null;  // {audio, button, label}
  var queue = [];
  var timer = null;

  function label(button, playing) {
    button.textContent = (playing ? "■ " : "▶ ") + (playing ? page.dataset.stop : button.dataset.label);
    button.setAttribute("aria-pressed", playing ? "true" : "false");
  }

  function stop() {
    clearTimeout(timer);
    queue = [];
    if (!current) return;
    current.audio.pause();
    current.audio.currentTime = 0;
    label(current.button, false);
    if (current.allButton) label(current.allButton, false);
    current = null;
  }

  function play(audio, button, allButton) {
    if (status) status.hidden = true;
    current = { audio: audio, button: button, allButton: allButton };
    label(button, true);
    if (allButton) label(allButton, true);
    audio.volume = 1;
    var started = audio.play();
    if (started && started.catch) started.catch(failed);
  }

  function failed() {
    stop();
    if (status) {
      status.textContent = page.dataset.unavailable;
      status.hidden = false;
    }
  }

  function next() {
    var item = queue.shift();
    if (!item) { stop(); return; }
    play(item.audio, item.button, item.allButton);
  }

  Array.prototype.forEach.call(document.querySelectorAll(".player"), function (player) {
    var audio = player.querySelector("audio");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "play";
    button.dataset.label = page.dataset.play;
    button.setAttribute("aria-describedby", audio.getAttribute("aria-describedby"));
    label(button, false);
    audio.hidden = true;
    audio.controls = false;
    player.insertBefore(button, audio);
    button.addEventListener("click", function () {
      var again = current && current.audio === audio;
      stop();
      if (!again) play(audio, button, null);
    });
    audio.addEventListener("ended", function () {
      if (!current || current.audio !== audio) return;
      label(button, false);
      if (queue.length) {
        timer = setTimeout(next, PAUSE_MS);
      } else {
        if (current.allButton) label(current.allButton, false);
        current = null;
      }
    });
    audio.addEventListener("error", failed, true);
    var last = audio.querySelector("source:last-of-type");
    if (last) last.addEventListener("error", failed);
  });

  Array.prototype.forEach.call(document.querySelectorAll("[data-play-all]"), function (all) {
    all.hidden = false;
    label(all, false);
    all.addEventListener("click", function () {
      var playing = current && current.allButton === all;
      stop();
      if (playing) return;
      queue = Array.prototype.map.call(all.parentNode.querySelectorAll(".player"), function (player) {
        return { audio: player.querySelector("audio"), button: player.querySelector("button.play"), allButton: all };
      });
      next();
    });
  });
})();
