/* The worker's app: what every app page shares.
 *
 * - registers the service worker (/sw.js, scope "/"): the app opens offline and the outbox is replayed by
 *   Background Sync;
 * - sends what waits in the phone's outbox (queue.js) on load, when the network returns and every 30 s,
 *   and says what is waiting;
 * - helpers for the page modules: the CSRF token, JSON calls, polling while the page is visible.
 *
 * Texts come translated from data attributes of #app, so this file needs no message catalogue. */
(function () {
  "use strict";

  var app = document.getElementById("app");
  if (!app || window.ansinhApp) return;
  var queue = window.ansinhQueue;
  var outbox = document.getElementById("outbox");
  var worker = app.dataset.worker || "";

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function text(name, values) {
    var message = app.dataset[name] || "";
    Object.keys(values || {}).forEach(function (key) {
      message = message.split("{" + key + "}").join(values[key]);
    });
    return message;
  }

  function emit(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  function call(url, options) {
    options = options || {};
    var headers = { "X-CSRFToken": csrf(), Accept: "application/json" };
    var init = {
      method: options.method || "GET",
      credentials: "same-origin",
      headers: headers,
      cache: "no-store",
    };
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.json);
    }
    return fetch(url, init).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      var read = type.indexOf("json") === -1
        ? Promise.resolve(null)
        : response.json().catch(function () { return null; });
      return read.then(function (data) { return { ok: response.ok, status: response.status, data: data }; });
    });
  }

  /* Calls `fetchOnce` every `seconds` while the page is visible, and at once when it becomes visible again
   * or the network returns. Returns a function that stops it. */
  function poll(fetchOnce, seconds) {
    var timer = null;
    var stopped = false;
    function run() {
      if (stopped || document.visibilityState !== "visible") return;
      Promise.resolve().then(fetchOnce).catch(function () { return null; });
    }
    function onVisible() { if (document.visibilityState === "visible") run(); }
    timer = window.setInterval(run, seconds * 1000);
    document.addEventListener("visibilitychange", onVisible);
    window.addEventListener("online", run);
    return function stop() {
      stopped = true;
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener("online", run);
    };
  }

  /* --- the outbox --------------------------------------------------------------------------------------- */

  function showOutbox(entries, lastReason) {
    if (!outbox) return;
    var waiting = entries.filter(function (e) { return !worker || !e.worker || String(e.worker) === worker; });
    if (!waiting.length) {
      outbox.hidden = true;
      outbox.textContent = "";
      return;
    }
    outbox.hidden = false;
    outbox.textContent = text(lastReason === "signin" ? "msgOutboxSignin" : "msgOutbox", { n: waiting.length });
  }

  function registerSync() {
    if (!("serviceWorker" in navigator)) return Promise.resolve();
    return navigator.serviceWorker.ready
      .then(function (registration) {
        if (registration.sync && registration.sync.register) return registration.sync.register(queue.SYNC_TAG);
        return null;
      })
      .catch(function () { return null; });
  }

  var flushing = null;
  function flush() {
    if (!queue || !worker) return Promise.resolve([]);
    if (flushing) return flushing;
    flushing = queue.flush({ csrf: csrf(), worker: worker }).then(function (results) {
      results.forEach(function (result) { emit("ansinh:outbox", result); });
      var reason = null;
      results.forEach(function (result) { if (result.outcome === "keep") reason = result.reason; });
      return queue.all().then(function (entries) {
        showOutbox(entries, reason);
        if (entries.length) registerSync();
        return results;
      });
    }).catch(function () { return []; }).then(function (results) {
      flushing = null;
      return results;
    });
    return flushing;
  }

  /* Stores the entry on the phone, then sends it; resolves with the outcome (see queue.js). */
  function submit(entry) {
    entry.worker = worker;
    entry.url = entry.url || app.dataset.submitUrl;
    entry.body.worker = worker ? Number(worker) : undefined;
    return queue.submit(entry, csrf()).then(function (result) {
      if (result.outcome === "keep" || result.photo_pending) registerSync();
      return queue.all().then(function (entries) {
        showOutbox(entries, result.outcome === "keep" ? result.reason : null);
        return result;
      }, function () { return result; });
    });
  }

  /* --- service worker, manifest ------------------------------------------------------------------------- */

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { return null; });
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "ansinh-sos-outbox" && data.result) {
        emit("ansinh:outbox", data.result);
        if (!queue) return;
        queue.all()
          .then(function (entries) { showOutbox(entries, null); })
          .catch(function () { return null; });
      }
    });
  }

  window.ansinhApp = {
    call: call,
    csrf: csrf,
    flush: flush,
    poll: poll,
    submit: submit,
    text: text,
    worker: worker,
  };

  if (queue && worker) {
    queue.refreshToken(csrf()).then(flush);
    window.addEventListener("online", flush);
    window.setInterval(function () {
      if (outbox && !outbox.hidden) flush();
    }, 30000);
  }
})();
