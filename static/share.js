// "Share this page": the phone's own share sheet where there is one, else copy the link; the page's
// QR code is fetched only when its section is opened.
(function () {
  "use strict";
  var qr = document.querySelector("details[data-qr]");
  if (qr) {
    qr.addEventListener("toggle", function () {
      var image = qr.querySelector("img[data-src]");
      if (qr.open && image && !image.getAttribute("src")) image.setAttribute("src", image.getAttribute("data-src"));
    });
  }
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
