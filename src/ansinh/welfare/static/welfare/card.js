// The social-security card pages, progressively enhanced (everything works without this file):
// - "Copy the code" copies the card's QR text;
// - "Scan with the camera" reads the QR with the browser's BarcodeDetector where it exists (Chrome on
//   Android, recent desktop Chrome), fills the box and sends the form. Elsewhere the button stays hidden and
//   the cashier uses a USB scanner, which types into the box like a keyboard.
(function () {
  "use strict";

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value);
    });
  });

  // A double click on "Record payment" sends one request; the request key would make a second one harmless
  // anyway, but one request is quicker for everybody.
  document.querySelectorAll("form.pay-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button");
      if (button) setTimeout(function () { button.disabled = true; }, 0);
    });
  });

  var cameraButton = document.querySelector("[data-camera]");
  if (!cameraButton || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var input = document.getElementById(cameraButton.getAttribute("data-camera"));
  var video = document.querySelector("video.camera");
  if (!input || !video) return;
  cameraButton.hidden = false;

  cameraButton.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      var stop = function () {
        stream.getTracks().forEach(function (track) { track.stop(); });
        video.hidden = true;
      };
      var look = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            stop();
            input.value = codes[0].rawValue;
            input.form.submit();
          } else {
            requestAnimationFrame(look);
          }
        }).catch(function () { requestAnimationFrame(look); });
      };
      look();
    }).catch(function () {
      cameraButton.hidden = true;
      input.focus();
    });
  });
})();
