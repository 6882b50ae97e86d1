/* The support form, made better where the phone allows: "Use my location" fills the position (and shows
 * its accuracy), the photo's size is checked before anything is sent, and the form goes through the phone's
 * outbox (queue.js) with the idempotency key the server put in the form, so it is kept and sent later when
 * there is no network. The photo is sent after the request exists. Without JavaScript the form is posted
 * as it is. Texts come translated from data attributes of #support. */
(function () {
  "use strict";

  var form = document.getElementById("support");
  var app = window.ansinhApp;
  if (!form || form.dataset.ready || !app || !window.ansinhQueue || !window.fetch) return;
  form.dataset.ready = "1";

  var locateButton = document.getElementById("support-locate");
  var geoNote = document.getElementById("support-geo");
  var photo = document.getElementById("id_photo");
  var outcome = document.getElementById("support-outcome");
  var submitButton = form.querySelector("button[type=submit]");
  var maxBytes = Number(form.dataset.photoMax || 0);

  function message(name, values) {
    var text = form.dataset[name] || "";
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }

  function field(name) { return form.elements.namedItem(name); }

  /* --- location ----------------------------------------------------------------------------------------- */

  if (navigator.geolocation) {
    locateButton.hidden = false;
    locateButton.addEventListener("click", function () {
      locateButton.disabled = true;
      geoNote.textContent = message("msgGeoWait");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          field("latitude").value = (Math.round(position.coords.latitude * 1e6) / 1e6).toString();
          field("longitude").value = (Math.round(position.coords.longitude * 1e6) / 1e6).toString();
          field("accuracy_m").value = String(Math.round(position.coords.accuracy || 0));
          geoNote.textContent = message("msgGeoOk", { m: field("accuracy_m").value });
          locateButton.disabled = false;
        },
        function () {
          geoNote.textContent = message("msgGeoOff");
          locateButton.disabled = false;
          field("location_text").focus();
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  /* --- errors next to their fields ---------------------------------------------------------------------- */

  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll(".error[data-js]"), function (node) { node.remove(); });
    Array.prototype.forEach.call(form.querySelectorAll(".field--error"), function (node) {
      node.classList.remove("field--error");
    });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (node) {
      node.removeAttribute("aria-invalid");
    });
  }

  function showError(name, text) {
    var input = field(name === "latitude" || name === "longitude" ? "location_text" : name);
    var holder = input && input.closest ? input.closest(".field") : null;
    var error = document.createElement("p");
    error.className = "error";
    error.setAttribute("role", "alert");
    error.dataset.js = "1";
    error.textContent = text;
    if (holder) {
      holder.classList.add("field--error");
      holder.appendChild(error);
      input.setAttribute("aria-invalid", "true");
    } else {
      outcome.appendChild(error);
      outcome.hidden = false;
    }
    return input;
  }

  function showErrors(data) {
    var fields = (data && data.details && data.details.fields) || {};
    var first = null;
    Object.keys(fields).forEach(function (name) {
      var input = showError(name, fields[name].join(" "));
      if (!first && input && input.focus) first = input;
    });
    if (!Object.keys(fields).length) showError("__all__", (data && data.message) || message("msgError"));
    if (first) first.focus();
  }

  /* --- sending ------------------------------------------------------------------------------------------ */

  function say(text, link) {
    outcome.textContent = text;
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.text;
      outcome.appendChild(document.createTextNode(" "));
      outcome.appendChild(anchor);
    }
    outcome.hidden = false;
    outcome.focus();
  }

  function number(name) {
    var value = field(name).value.trim();
    return value === "" ? null : Number(value);
  }

  function done(result) {
    if (result.outcome === "sent") {
      if (result.photo_error) {
        say(message("msgPhotoRefused", { reference: result.data.reference, reason: result.photo_error }), {
          href: result.data.urls.page,
          text: message("msgOpen"),
        });
        return;
      }
      window.location.assign(result.data.urls.page);
      return;
    }
    if (result.outcome === "invalid") {
      showErrors(result.data);
      submitButton.disabled = false;
      return;
    }
    if (result.unsaved) {
      say(message("msgNotSaved"));
      submitButton.disabled = false;
      return;
    }
    form.hidden = true;
    say(result.reason === "signin" ? message("msgSignin") : message("msgSaved"), {
      href: form.dataset.homeUrl,
      text: message("msgHome"),
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors();
    var file = photo && photo.files && photo.files[0];
    if (file && maxBytes && file.size > maxBytes) {
      showError("photo", message("msgPhotoTooLarge"));
      photo.focus();
      return;
    }
    submitButton.disabled = true;
    var entry = {
      key: field("idempotency_key").value,
      body: {
        kind: "support",
        phone: field("phone").value.trim(),
        latitude: number("latitude"),
        longitude: number("longitude"),
        accuracy_m: number("accuracy_m"),
        location_text: field("location_text").value.trim(),
        category: field("category").value,
        message: field("message").value.trim(),
        client_created_at: new Date().toISOString(),
      },
      photo: file || null,
      photo_name: file ? file.name : "",
    };
    app.submit(entry).then(done, function () {
      submitButton.disabled = false;
      say(message("msgError"));
    });
  });

  // Sent later from the outbox while this page is open.
  document.addEventListener("ansinh:outbox", function (event) {
    var result = event.detail || {};
    if (result.entry && result.entry.key === field("idempotency_key").value && result.outcome === "sent") {
      done(result);
    }
  });
})();
