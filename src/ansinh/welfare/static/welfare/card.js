// The social-security card pages, progressively enhanced (everything works without this file):
// - "Copy the code" copies the card's QR text;
// - "Scan with the camera" reads the QR with the browser's BarcodeDetector where it exists (Chrome on
//   Android, recent desktop Chrome), fills the box and sends the form. Elsewhere the button stays hidden and
//   the cashier uses a USB scanner, which types into the box like a keyboard;
// - the scan box checks the QR's signature in the browser (see the section below), so a cashier whose
//   connection drops still learns at once whether a card is genuine.
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

  var offlineCheck = setUpOfflineCheck();

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
            // Offline the request would only lead to the browser's error page: check here instead.
            if (offlineCheck && offlineCheck.holdIfOffline()) return;
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

  // --- The offline check of the card's signature -------------------------------------------------------------
  // The same rules as welfare/card_signing.py (card_qr_verify), with the public keys of /social/card/keys.json:
  // ASC1.<12 digits, Luhn>.<issue>.<initials A-Z, at most 4>.<yyyymmdd>.<key id>.<signature, 103 base32>,
  // ECDSA P-256 / SHA-256 over the text before the last dot, the signature raw r||s (what WebCrypto takes).
  // Genuine is not valid: revocation and the benefits due are the server's answer, so the form is still sent.
  function setUpOfflineCheck() {
    var status = document.getElementById("card-offline-check");
    var input = document.querySelector("[data-card-qr]");
    if (!status || !input || !input.form) return null;
    var form = input.form;
    var subtle = window.crypto && window.crypto.subtle;
    var CACHE = "ansinh.welfare.cardKeys.v1";
    var PAYLOAD = /^ASC1\.([0-9]{12})\.([1-9][0-9]{0,4})\.([A-Z]{0,4})\.([0-9]{8})\.([A-Z2-7]{8})\.([A-Z2-7]{103})$/;
    var MAX_PAYLOAD = 200;
    var SIGNATURE_LENGTH = 103;
    var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    var keys = {}; // key id -> CryptoKey
    // Keys "authoritative" when fetched from the server on this page (or given by it): a key id they lack
    // is not ours. Keys from the device's cache may predate a new signing key: a key id they lack is "cannot
    // check here", never "not genuine".
    var keysAuthoritative = false;
    var pendingFetch = null;
    var sequence = 0; // only the newest check may write the status
    var timer = null;

    function text(name) { return status.getAttribute("data-text-" + name) || ""; }

    function show(kind, message, extra) {
      status.textContent = "";
      status.className = "offline-check" + (kind ? " msg msg--" + kind : "");
      status.setAttribute("data-state", kind ? kind : "");
      if (!message) return;
      status.appendChild(document.createTextNode(message));
      (extra || []).forEach(function (line) {
        if (!line) return;
        status.appendChild(document.createElement("br"));
        status.appendChild(document.createTextNode(line));
      });
    }

    // --- keys ---

    function importKeys(jwks) {
      var list = jwks && Array.isArray(jwks.keys) ? jwks.keys : [];
      var imported = {};
      return Promise.all(list.map(function (jwk) {
        if (!jwk || jwk.kty !== "EC" || jwk.crv !== "P-256" || typeof jwk.x !== "string" ||
            typeof jwk.y !== "string" || !/^[A-Z2-7]{8}$/.test(jwk.kid || "")) {
          return null;
        }
        return subtle.importKey(
          "jwk", { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, ext: true },
          { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]
        ).then(function (key) { imported[jwk.kid] = key; }, function () { return null; });
      })).then(function () { return imported; });
    }

    function readCache() {
      try {
        var cached = JSON.parse(window.localStorage.getItem(CACHE) || "null");
        return cached && cached.jwks ? cached.jwks : null;
      } catch (e) {
        return null; // storage disabled or damaged: the fetch still works
      }
    }

    function writeCache(jwks) {
      try {
        window.localStorage.setItem(CACHE, JSON.stringify({ fetchedAt: new Date().toISOString(), jwks: jwks }));
      } catch (e) { /* private mode or full: keys stay for this page only */ }
    }

    function loadKeys() {
      var given = status.getAttribute("data-keys");
      if (given) {
        try {
          var jwks = JSON.parse(given);
          keysAuthoritative = true;
          writeCache(jwks);
          return importKeys(jwks).then(function (imported) { keys = imported; });
        } catch (e) { /* not JSON: fall back to the cache and the server */ }
      }
      var cached = readCache();
      var fromCache = cached ? importKeys(cached).then(function (imported) {
        if (!keysAuthoritative) keys = imported;
      }) : Promise.resolve();
      // Always asked again (no-cache): a rotated key must be known as soon as the server has it.
      pendingFetch = window.fetch(status.getAttribute("data-keys-url"), {
        credentials: "same-origin", cache: "no-cache", headers: { Accept: "application/json" }
      }).then(function (response) {
        if (!response.ok) throw new Error("keys: " + response.status);
        return response.json();
      }).then(function (jwks) {
        return importKeys(jwks).then(function (imported) {
          keys = imported;
          keysAuthoritative = true;
          writeCache(jwks);
        });
      }).catch(function () { /* offline or refused: the cached keys, if any, are what we have */ })
        .then(function () { return fromCache; })
        .then(function () { pendingFetch = null; });
      return fromCache;
    }

    // --- payload ---

    // What card_signing.normalise_payload does: no spaces or line ends, upper case (a scanner with Caps Lock).
    function normalise(value) { return (value || "").replace(/[\s\x1c-\x1f]+/g, "").toUpperCase(); }

    function luhnValid(number) {
      var total = 0;
      for (var i = number.length - 2, position = 0; i >= 0; i -= 1, position += 1) {
        var value = number.charCodeAt(i) - 48;
        if (position % 2 === 0) {
          value *= 2;
          if (value > 9) value -= 9;
        }
        total += value;
      }
      return String((10 - total % 10) % 10) === number.charAt(number.length - 1);
    }

    function validDate(digits) {
      var year = +digits.slice(0, 4), month = +digits.slice(4, 6), day = +digits.slice(6, 8);
      if (year < 1 || month < 1 || month > 12 || day < 1) return false;
      var leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
      return day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    }

    // RFC 4648 base32 without padding; only the canonical text (the 3 unused bits of the last character
    // zero), as the server accepts only that one.
    function base32Decode(value) {
      var bytes = new Uint8Array(Math.floor(value.length * 5 / 8));
      var buffer = 0, bits = 0, index = 0;
      for (var i = 0; i < value.length; i += 1) {
        buffer = (buffer << 5) | ALPHABET.indexOf(value.charAt(i));
        bits += 5;
        if (bits >= 8) {
          bits -= 8;
          bytes[index] = (buffer >> bits) & 0xff;
          index += 1;
        }
        buffer &= (1 << bits) - 1;
      }
      return buffer === 0 ? bytes : null;
    }

    // Still being typed (a scanner types one character at a time): say nothing yet.
    function incomplete(value) {
      if (!/^[A-Z0-9.]*$/.test(value) || "ASC1.".indexOf(value.slice(0, 5)) !== 0) return false;
      var parts = value.split(".");
      return parts.length < 7 || (parts.length === 7 && parts[6].length < SIGNATURE_LENGTH);
    }

    function details(match) {
      var number = match[1].replace(/(\d{4})(?=\d)/g, "$1 ");
      var line = text("card") + " " + number + " · " + text("issue").replace("{issue}", match[2]);
      return match[3] ? line + " · " + text("initials") + ": " + match[3] : line;
    }

    // "genuine" (with the match), "forged", "no-keys", "unsupported" or "" (nothing to say yet).
    function verdict(value, final) {
      if (!value) return Promise.resolve({ kind: "" });
      if (!final && incomplete(value)) return Promise.resolve({ kind: "" });
      if (value.length > MAX_PAYLOAD) return Promise.resolve({ kind: "forged" });
      var match = PAYLOAD.exec(value);
      if (!match || !luhnValid(match[1]) || !validDate(match[4])) return Promise.resolve({ kind: "forged" });
      var signature = base32Decode(match[6]);
      if (!signature || signature.length !== 64) return Promise.resolve({ kind: "forged" });
      if (!subtle) return Promise.resolve({ kind: "unsupported" });
      var withKeys = (!keys[match[5]] && pendingFetch) ? pendingFetch : Promise.resolve();
      return withKeys.then(function () {
        var key = keys[match[5]];
        if (!key) return { kind: keysAuthoritative ? "forged" : "no-keys" };
        var signed = new TextEncoder().encode(value.slice(0, value.lastIndexOf(".")));
        return subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, signature, signed).then(function (ok) {
          return ok ? { kind: "genuine", match: match } : { kind: "forged" };
        });
      }).catch(function () { return { kind: "no-keys" }; });
    }

    function check(final, offline) {
      var mine = (sequence += 1);
      return keysLoaded.then(function () {
        return verdict(normalise(input.value), final);
      }).then(function (result) {
        if (mine !== sequence) return;
        var held = offline ? text("offline") : "";
        if (result.kind === "genuine") show("success", text("genuine"), [details(result.match), held]);
        else if (result.kind === "forged") show("error", text("forged"), [held]);
        else if (result.kind === "no-keys") show("info", text("no-keys"), [held]);
        else if (result.kind === "unsupported") show("info", text("unsupported"), [held]);
        else show("", "");
      });
    }

    var keysLoaded = subtle ? loadKeys() : Promise.resolve();

    input.addEventListener("input", function () {
      clearTimeout(timer);
      // A scanner types the whole code in a few milliseconds: check once it has finished.
      timer = setTimeout(function () { check(false, false); }, 150);
    });
    input.addEventListener("change", function () { clearTimeout(timer); check(true, false); });

    // Offline, sending the form would only show the browser's error page and lose the answer above; the
    // scanner's Enter sends it, so hold it while the browser knows it has no network. Online, unchanged.
    function holdIfOffline() {
      if (navigator.onLine !== false) return false;
      clearTimeout(timer);
      check(true, true);
      return true;
    }
    form.addEventListener("submit", function (event) {
      if (holdIfOffline()) event.preventDefault();
    });

    // A code sent back by the server (a refusal) is checked too, so the two answers sit side by side.
    if (input.value) check(true, false);
    return { holdIfOffline: holdIfOffline };
  }
})();
