/* The phone's outbox for SOS and support requests (IndexedDB), used by the app pages and by the service
 * worker (/sw.js imports this file).
 *
 * A request is stored first, with its idempotency key, the time it was made and where the worker was; then
 * it is sent. It leaves the outbox only after the server answered 200/201 (the server gives back the same
 * request for the same key, so sending an entry again never makes a second request) or refused it
 * (400/422 invalid, 429 too many, or 403 "not a worker"); a network failure, a 5xx, a lost session or a
 * stale CSRF token keep it for the next try (page load, the `online` event, Background Sync in the service
 * worker).
 *
 * An entry: {key, worker, url, body, csrf, saved_at, photo (Blob or null), photo_name, request (the
 * server's answer once the request exists; only the photo is then still to send)}. */
(function (root) {
  "use strict";

  var DB_NAME = "ansinh-sos";
  var STORE = "outbox";
  var SYNC_TAG = "ansinh-sos-outbox";
  var KEY_CHARS = /^[A-Za-z0-9_-]{8,64}$/;

  function open() {
    return new Promise(function (resolve, reject) {
      if (!root.indexedDB) {
        reject(new Error("no IndexedDB"));
        return;
      }
      var request = root.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result;
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
        var store = tx.objectStore(STORE);
        var request = work(store);
        if (request) request.onsuccess = function () { result = request.result; };
      });
    });
  }

  function put(entry) { return withStore("readwrite", function (s) { return s.put(entry); }); }
  function remove(key) { return withStore("readwrite", function (s) { return s.delete(key); }); }
  function get(key) { return withStore("readonly", function (s) { return s.get(key); }); }
  function all() {
    return withStore("readonly", function (s) { return s.getAll(); }).then(function (entries) {
      return (entries || []).sort(function (a, b) { return a.saved_at - b.saved_at; });
    });
  }

  /* A fresh key: 32 hex characters from the browser's random source. */
  function newKey() {
    var bytes = new Uint8Array(16);
    root.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function readJson(response) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("json") === -1) return Promise.resolve(null);
    return response.json().catch(function () { return null; });
  }

  /* What an answer means for the entry: "sent", "invalid" (shown, then dropped) or "keep" (with why). */
  function judge(response, data) {
    if (response.type === "opaqueredirect" || response.status === 401) {
      return { outcome: "keep", reason: "signin" };
    }
    if ((response.status === 200 || response.status === 201) && data && data.id) return { outcome: "sent" };
    // Refused as it is (bad fields, or too many support requests this hour): said to the worker, not kept.
    if (response.status === 400 || response.status === 422 || response.status === 429) {
      return { outcome: "invalid" };
    }
    if (response.status === 403 && data && data.code === "permission.denied") return { outcome: "invalid" };
    if (response.status === 403) return { outcome: "keep", reason: "csrf" };
    if (response.status === 409 && data) return { outcome: "keep", reason: "conflict" };
    return { outcome: "keep", reason: response.status >= 500 ? "server" : "other" };
  }

  function send(url, init) {
    init.credentials = "same-origin";
    init.redirect = "manual"; // a redirect means the session is gone: the sign-in page is no answer
    init.cache = "no-store";
    return root.fetch(url, init).then(
      function (response) {
        return readJson(response).then(function (data) {
          var verdict = judge(response, data);
          verdict.status = response.status;
          verdict.data = data;
          return verdict;
        });
      },
      function () { return { outcome: "keep", reason: "network", status: 0, data: null }; }
    );
  }

  function sendRequest(entry, csrf) {
    return send(entry.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Idempotency-Key": entry.key,
        "X-CSRFToken": csrf || entry.csrf || "",
      },
      body: JSON.stringify(entry.body),
    });
  }

  function sendPhoto(entry, csrf) {
    var form = new FormData();
    form.append("photo", entry.photo, entry.photo_name || "photo");
    return send(entry.request.urls.photo, {
      method: "POST",
      headers: { "X-CSRFToken": csrf || entry.csrf || "" },
      body: form,
    });
  }

  /* Sends one entry as far as it goes; resolves with {outcome, reason, status, data, entry, photo_error}. */
  function deliver(entry, csrf) {
    var first = entry.request
      ? Promise.resolve({ outcome: "sent", data: entry.request })
      : sendRequest(entry, csrf);
    return first.then(function (result) {
      result.entry = entry;
      if (result.outcome !== "sent") {
        return (result.outcome === "invalid" ? remove(entry.key) : Promise.resolve()).then(function () {
          return result;
        });
      }
      entry.request = result.data;
      if (!entry.photo) return remove(entry.key).then(function () { return result; });
      return sendPhoto(entry, csrf).then(function (photo) {
        if (photo.outcome === "keep" && photo.status !== 409) {
          // The request is on the server; only the photo waits. Keep it, marked, for the next try.
          return put(entry).then(function () {
            result.photo_pending = true;
            return result;
          });
        }
        if (photo.outcome === "sent") result.data = photo.data;
        else result.photo_error = (photo.data && photo.data.details && photo.data.details.fields &&
          photo.data.details.fields.photo) ? photo.data.details.fields.photo.join(" ") :
          (photo.data && photo.data.message) || "";
        return remove(entry.key).then(function () { return result; });
      });
    });
  }

  /* One sender at a time for the whole origin (pages and service worker), where the browser can say so. */
  function exclusively(work) {
    var locks = root.navigator && root.navigator.locks;
    if (locks && locks.request) return locks.request("ansinh-sos-outbox", work);
    return work();
  }

  /* Sends every entry (or only those of `options.worker`); `options.csrf` is the freshest token known. */
  function flush(options) {
    options = options || {};
    return exclusively(function () {
      return all().then(function (entries) {
        var results = [];
        var chain = Promise.resolve();
        entries.forEach(function (entry) {
          if (options.worker && entry.worker && String(entry.worker) !== String(options.worker)) return;
          chain = chain.then(function () {
            return get(entry.key).then(function (current) {
              if (!current) return null; // sent meanwhile by another sender
              return deliver(current, options.csrf).then(function (result) { results.push(result); });
            });
          });
        });
        return chain.then(function () { return results; });
      });
    }).catch(function () { return []; });
  }

  /* Stores a new entry, then tries to send it at once. */
  function submit(entry, csrf) {
    if (!KEY_CHARS.test(entry.key || "")) entry.key = newKey();
    entry.saved_at = entry.saved_at || Date.now();
    entry.csrf = csrf || entry.csrf || "";
    entry.request = entry.request || null;
    return put(entry).then(
      function () {
        return exclusively(function () {
          return get(entry.key).then(function (current) {
            return current ? deliver(current, csrf) : { outcome: "keep", reason: "sending", entry: entry };
          });
        });
      },
      function () {
        // No IndexedDB (a private window on some phones): send straight away, without an outbox.
        return sendRequest(entry, csrf).then(function (result) {
          result.entry = entry;
          result.unsaved = result.outcome === "keep";
          return result;
        });
      }
    );
  }

  /* The token pages see is the freshest: give it to the waiting entries, for the service worker's tries. */
  function refreshToken(csrf) {
    if (!csrf) return Promise.resolve();
    return all().then(function (entries) {
      return Promise.all(entries.map(function (entry) {
        if (entry.csrf === csrf) return null;
        entry.csrf = csrf;
        return put(entry);
      }));
    }).catch(function () { return null; });
  }

  root.ansinhQueue = {
    SYNC_TAG: SYNC_TAG,
    all: all,
    flush: flush,
    newKey: newKey,
    refreshToken: refreshToken,
    submit: submit,
  };
})(self);
