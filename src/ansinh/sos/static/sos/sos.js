/* The SOS screen. Pressing and holding the button (finger, mouse, or Space/Enter held down) counts down
 * 5-4-3-2-1 on screen and in a live region; letting go before zero stops it and nothing is sent. At zero
 * the phone's position is taken (a short wait; when it is refused or unavailable, the typed place is used),
 * and the SOS goes to the outbox (queue.js), which sends it now or when the network returns, with the time
 * and place of the press. Once it is on the server the worker sees its reference and status, and may cancel
 * it for 60 seconds ("sent by mistake").
 *
 * Texts come translated from data attributes of #sos. */
(function () {
  "use strict";

  var box = document.getElementById("sos");
  var app = window.ansinhApp;
  if (!box || box.dataset.ready || !app) return;
  box.dataset.ready = "1";

  var HOLD_MS = 5000;
  var GEO_WAIT_MS = 6000;
  var FRESH_FIX_MS = 2 * 60 * 1000;
  var LAST_FIX = "ansinh.sos.lastFix";
  var LAST_PLACE = "ansinh.sos.lastPlace";

  var button = document.getElementById("sos-button");
  var count = document.getElementById("sos-count");
  var live = document.getElementById("sos-live");
  var geoNote = document.getElementById("sos-geo");
  var phone = document.getElementById("sos-phone");
  var place = document.getElementById("sos-place");
  var note = document.getElementById("sos-message");
  var sent = document.getElementById("sos-sent");
  var reference = document.getElementById("sos-ref");
  var statusText = document.getElementById("sos-status");
  var cancelButton = document.getElementById("sos-cancel");
  var cancelLeft = document.getElementById("sos-cancel-left");
  var openLink = document.getElementById("sos-open");

  var holding = null; // {started, shown, timer}
  var busy = false;
  var fix = null; // the latest position: {latitude, longitude, accuracy_m, at}
  var waitingKey = null; // the key of the SOS waiting in the outbox, if any
  var current = null; // the sent request, as the server describes it
  var cancelDeadline = 0;
  var cancelTimer = null;
  var stopPolling = null;

  function say(name, values) {
    live.textContent = message(name, values);
  }

  function message(name, values) {
    var text = box.dataset[name] || "";
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }

  /* --- where the worker is ------------------------------------------------------------------------------ */

  function storage(action, key, value) {
    try {
      if (action === "get") return window.localStorage.getItem(key);
      window.localStorage.setItem(key, value);
    } catch (error) {
      return null;
    }
    return null;
  }

  function remember(position) {
    fix = {
      latitude: Math.round(position.coords.latitude * 1e6) / 1e6,
      longitude: Math.round(position.coords.longitude * 1e6) / 1e6,
      accuracy_m: Math.round(position.coords.accuracy || 0),
      at: Date.now(),
    };
    storage("set", LAST_FIX, JSON.stringify(fix));
    geoNote.textContent = message("msgGeoOk", { m: fix.accuracy_m });
    return fix;
  }

  function locate(wait) {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) {
        resolve(null);
        return;
      }
      var done = false;
      var timer = window.setTimeout(function () { finish(null); }, wait);
      function finish(value) {
        if (done) return;
        done = true;
        window.clearTimeout(timer);
        resolve(value);
      }
      navigator.geolocation.getCurrentPosition(
        function (position) { finish(remember(position)); },
        function () {
          geoNote.textContent = message("msgGeoOff");
          finish(null);
        },
        { enableHighAccuracy: true, timeout: wait, maximumAge: 60000 }
      );
    });
  }

  function lastKnownText() {
    var typed = storage("get", LAST_PLACE);
    if (typed) return typed;
    try {
      var last = JSON.parse(storage("get", LAST_FIX) || "null");
      if (last && typeof last.latitude === "number") {
        return message("msgLastFix", {
          lat: last.latitude.toFixed(5),
          lon: last.longitude.toFixed(5),
          m: last.accuracy_m,
          time: new Date(last.at).toLocaleString(),
        });
      }
    } catch (error) {
      return "";
    }
    return "";
  }

  /* Ask early where the phone already allows it, so that the position is ready when the countdown ends. */
  function warmUp() {
    if (!place.value) place.value = lastKnownText();
    if (!navigator.geolocation) {
      geoNote.textContent = message("msgGeoOff");
      return;
    }
    if (!navigator.permissions || !navigator.permissions.query) return;
    navigator.permissions.query({ name: "geolocation" }).then(function (state) {
      if (state.state === "granted") locate(GEO_WAIT_MS);
      else if (state.state === "denied") geoNote.textContent = message("msgGeoOff");
    }).catch(function () { return null; });
  }

  place.addEventListener("change", function () {
    if (place.value.trim()) storage("set", LAST_PLACE, place.value.trim());
  });

  /* --- holding the button ------------------------------------------------------------------------------- */

  function show(number) {
    count.textContent = number ? String(number) : "";
    if (number) say("msgCount", { n: number });
  }

  function start() {
    if (holding || busy) return;
    holding = { started: Date.now(), shown: 5, timer: null };
    button.classList.add("is-holding");
    show(5);
    holding.timer = window.setInterval(tick, 100);
  }

  function tick() {
    if (!holding) return;
    var elapsed = Date.now() - holding.started;
    if (elapsed >= HOLD_MS) {
      finishHold();
      fire();
      return;
    }
    var number = 5 - Math.floor(elapsed / 1000);
    if (number !== holding.shown) {
      holding.shown = number;
      show(number);
    }
  }

  function finishHold() {
    if (!holding) return;
    window.clearInterval(holding.timer);
    holding = null;
    button.classList.remove("is-holding");
    count.textContent = "";
  }

  function release() {
    if (!holding) return;
    finishHold();
    say("msgCancelled");
  }

  button.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse" && event.button !== 0) return;
    event.preventDefault();
    try { button.setPointerCapture(event.pointerId); } catch (error) { /* not capturable: fine */ }
    start();
  });
  button.addEventListener("pointerup", release);
  button.addEventListener("pointercancel", release);
  button.addEventListener("lostpointercapture", release);
  button.addEventListener("contextmenu", function (event) { event.preventDefault(); });
  button.addEventListener("keydown", function (event) {
    if (event.key !== " " && event.key !== "Enter") return;
    event.preventDefault();
    if (!event.repeat) start();
  });
  button.addEventListener("keyup", function (event) {
    if (event.key !== " " && event.key !== "Enter") return;
    event.preventDefault();
    release();
  });
  button.addEventListener("blur", release);
  button.addEventListener("click", function (event) { event.preventDefault(); });

  /* --- sending ------------------------------------------------------------------------------------------ */

  function fire() {
    busy = true;
    button.disabled = true;
    say("msgSending");
    var pressedAt = new Date().toISOString();
    var ready = fix && Date.now() - fix.at < FRESH_FIX_MS ? Promise.resolve(fix) : locate(GEO_WAIT_MS);
    ready.then(function (position) {
      var typed = place.value.trim();
      if (typed) storage("set", LAST_PLACE, typed);
      var body = {
        kind: "sos",
        phone: phone.value.trim(),
        latitude: position ? position.latitude : null,
        longitude: position ? position.longitude : null,
        accuracy_m: position ? position.accuracy_m : null,
        location_text: typed || (position ? "" : message("msgNoPlace")),
        message: note.value.trim(),
        client_created_at: pressedAt,
      };
      var entry = { key: window.ansinhQueue.newKey(), body: body, photo: null };
      waitingKey = entry.key;
      return app.submit(entry).then(handle);
    }).catch(function () {
      say("msgError");
    }).then(function () {
      busy = false;
      button.disabled = false;
    });
  }

  function fieldErrors(data) {
    var fields = (data && data.details && data.details.fields) || {};
    return Object.keys(fields).map(function (name) { return fields[name].join(" "); }).join(" ");
  }

  function handle(result) {
    if (result.outcome === "sent") {
      waitingKey = null;
      showSent(result.data);
    } else if (result.outcome === "invalid") {
      waitingKey = null;
      say("msgInvalid", { reason: fieldErrors(result.data) || (result.data && result.data.message) || "" });
    } else if (result.unsaved) {
      say("msgNotSaved");
    } else if (result.reason === "signin") {
      say("msgSignin");
    } else {
      say("msgSaved");
    }
  }

  // A waiting SOS sent later, by this page or by the service worker.
  document.addEventListener("ansinh:outbox", function (event) {
    var result = event.detail || {};
    if (!result.entry || !result.entry.body || result.entry.body.kind !== "sos") return;
    if (result.outcome === "sent" && current && result.data && current.id === result.data.id) return;
    if (result.outcome === "sent" || result.outcome === "invalid") handle(result);
  });

  /* --- after sending: reference, status, 60 s to cancel ------------------------------------------------- */

  function render(request) {
    current = request;
    reference.textContent = request.reference;
    statusText.textContent = request.status_label;
    openLink.href = request.urls.page;
  }

  function showSent(request) {
    var first = !current || current.id !== request.id;
    render(request);
    sent.hidden = false;
    if (first) {
      say("msgSent", { reference: request.reference });
      var heading = document.getElementById("sos-sent-heading");
      if (heading && heading.focus) heading.focus();
      cancelDeadline = Date.now() + (request.cancel_seconds_left || 0) * 1000;
      countCancel();
      if (cancelTimer) window.clearInterval(cancelTimer);
      cancelTimer = window.setInterval(countCancel, 500);
      if (stopPolling) stopPolling();
      stopPolling = app.poll(refresh, 4);
    }
  }

  function countCancel() {
    var left = Math.ceil((cancelDeadline - Date.now()) / 1000);
    if (left <= 0 || !current || current.status !== "received") {
      cancelButton.hidden = true;
      window.clearInterval(cancelTimer);
      return;
    }
    cancelButton.hidden = false;
    cancelLeft.textContent = String(left);
  }

  function refresh() {
    if (!current) return null;
    return app.call(current.urls.json).then(function (answer) {
      if (!answer.ok || !answer.data) return;
      var changed = answer.data.status !== current.status;
      render(answer.data);
      if (changed) say("msgStatus", { status: answer.data.status_label });
      countCancel();
    });
  }

  cancelButton.addEventListener("click", function () {
    if (!current) return;
    cancelButton.disabled = true;
    app.call(current.urls.cancel, { method: "POST", json: {} }).then(function (answer) {
      if (answer.ok && answer.data) {
        render(answer.data);
        say("msgCancelledSent", { reference: answer.data.reference });
      } else {
        say("msgInvalid", { reason: (answer.data && answer.data.message) || "" });
      }
      countCancel();
    }, function () {
      say("msgCancelOffline");
    }).then(function () { cancelButton.disabled = false; });
  });

  // An SOS already waiting in the outbox (the page was reloaded while offline): say so.
  if (window.ansinhQueue) {
    window.ansinhQueue.all().then(function (entries) {
      var waiting = entries.filter(function (e) { return e.body && e.body.kind === "sos" && !e.request; });
      if (waiting.length) {
        waitingKey = waiting[waiting.length - 1].key;
        say("msgSaved");
      }
    }).catch(function () { return null; });
  }

  button.disabled = false;
  warmUp();
})();
