// "Share this page": the phone's own share sheet where there is one, else copy the link.
(function () {
  "use strict";
  var button = document.querySelector("[data-share]");
  if (!button) return;
  var status = document.querySelector("[data-share-status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    var address = window.location.href.split("#")[0];
    if (navigator.share) {
      navigator.share({ title: document.title, url: address }).catch(function () {});
      return;
    }
    if (navigator.clipboard) {
      navigator.clipboard.writeText(address).then(function () {
        status.textContent = status.getAttribute("data-copied");
      }, function () { status.textContent = address; });
    } else {
      status.textContent = address;
    }
  });
})();
