/* ansinh service worker, served at /sw.js so that it covers the whole site.
 *
 * Web push: shows the notification the server sent ({title, body, url, tag, lang}) and, when it is
 * touched, opens (or focuses) the page it points to. Only pages of this site are opened.
 *
 * The worker's app (/sos/): keeps the app shell (the home and SOS pages, their scripts and styles) so the
 * app opens without network. Pages are network-first with the kept copy as fallback; scripts and styles
 * come from the kept copy and are refreshed behind it. JSON answers and the API are never kept.
 * Background Sync ("ansinh-sos-outbox") sends what waits in the phone's outbox (IndexedDB, see
 * /static/sos/queue.js) with the same idempotency keys, so the server never makes two requests of one. */
"use strict";

var DEFAULT_URL = "/inbox/";
var CACHE = "ansinh-app-v1";
var SHELL_PAGES = ["/sos/", "/sos/sos/", "/sos/support/"];
var SHELL_ASSETS = [
  "/static/web/ansinh.css",
  "/static/web/icon.svg",
  "/static/sos/app.css",
  "/static/sos/app.js",
  "/static/sos/queue.js",
  "/static/sos/sos.js",
  "/static/sos/support.js",
  "/static/sos/request.js",
  "/static/sos/icon.svg",
  "/static/sos/icon-192.png",
  "/static/django_htmx/htmx-2.min.js",
];

try {
  importScripts("/static/sos/queue.js");
} catch (error) {
  // Without the outbox the worker still shows notifications.
}

/* --- the app shell -------------------------------------------------------------------------------------- */

function keep(cache, url, response) {
  if (response && response.ok && !response.redirected && response.type === "basic") {
    return cache.put(url, response.clone()).then(function () { return response; });
  }
  return Promise.resolve(response);
}

function precache() {
  return caches.open(CACHE).then(function (cache) {
    // One missing file (or a page that needs a sign-in) must not stop the worker from installing.
    return Promise.all(SHELL_PAGES.concat(SHELL_ASSETS).map(function (url) {
      return fetch(url, { credentials: "same-origin", cache: "no-cache" })
        .then(function (response) { return keep(cache, url, response); })
        .catch(function () { return null; });
    }));
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(precache().then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.map(function (name) {
          return name.indexOf("ansinh-app-") === 0 && name !== CACHE ? caches.delete(name) : null;
        }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function offlinePage() {
  return new Response(
    "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><meta name=\"viewport\" " +
      "content=\"width=device-width, initial-scale=1\"><title>ansinh</title><h1>Không có mạng / No network</h1>" +
      "<p><a href=\"/sos/sos/\">SOS</a></p></html>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
  );
}

function networkFirst(request, path) {
  var keepIt = SHELL_PAGES.indexOf(path) !== -1;
  return fetch(request)
    .then(function (response) {
      if (!keepIt) return response;
      return caches.open(CACHE).then(function (cache) { return keep(cache, path, response); });
    })
    .catch(function () {
      return caches.match(keepIt ? path : "/sos/", { ignoreVary: true }).then(function (kept) {
        return kept || offlinePage();
      });
    });
}

function fromCacheThenRefresh(event, path) {
  var refresh = caches.open(CACHE).then(function (cache) {
    return fetch(event.request).then(function (response) { return keep(cache, path, response); });
  });
  event.waitUntil(refresh.catch(function () { return null; }));
  return caches.match(path, { ignoreVary: true }).then(function (kept) {
    return kept || refresh;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method === "POST" && url.pathname === "/accounts/logout/" && url.origin === self.location.origin) {
    // Signing out forgets the kept pages (they show the worker's phone): a shared phone shows nothing
    // personal offline afterwards. The outbox in IndexedDB stays: an SOS waiting to go is never dropped.
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  if (request.method !== "GET") return;
  if (url.origin !== self.location.origin) return;
  var path = url.pathname;
  // Answers that change (JSON, the API) are never kept: they go to the network as usual.
  if (path.indexOf("/sos/app/") === 0 || path.indexOf("/api/") === 0 || /\.json$/.test(path)) return;
  if (request.mode === "navigate" && path.indexOf("/sos/") === 0) {
    event.respondWith(networkFirst(request, path));
    return;
  }
  if (SHELL_ASSETS.indexOf(path) !== -1 && !url.search) {
    event.respondWith(fromCacheThenRefresh(event, path));
  }
});

/* --- the outbox: Background Sync ------------------------------------------------------------------------ */

function csrfToken() {
  if (self.cookieStore && self.cookieStore.get) {
    return self.cookieStore.get("csrftoken").then(
      function (cookie) { return cookie ? cookie.value : ""; },
      function () { return ""; }
    );
  }
  return Promise.resolve("");
}

function tellPages(result) {
  var message = {
    type: "ansinh-sos-outbox",
    result: {
      outcome: result.outcome,
      reason: result.reason,
      status: result.status,
      data: result.data,
      photo_error: result.photo_error,
      photo_pending: result.photo_pending,
      entry: { key: result.entry.key, body: result.entry.body },
    },
  };
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    windows.forEach(function (client) { client.postMessage(message); });
  });
}

function replayOutbox() {
  if (!self.ansinhQueue) return Promise.resolve();
  return csrfToken()
    .then(function (token) { return self.ansinhQueue.flush({ csrf: token }); })
    .then(function (results) {
      return Promise.all(results.map(tellPages)).then(function () {
        var retry = results.some(function (r) {
          return r.outcome === "keep" && (r.reason === "network" || r.reason === "server") || r.photo_pending;
        });
        // A rejected promise asks the browser to try the sync again later (with its own back-off).
        if (retry) throw new Error("the outbox is still waiting for the network");
      });
    });
}

self.addEventListener("sync", function (event) {
  if (self.ansinhQueue && event.tag === self.ansinhQueue.SYNC_TAG) event.waitUntil(replayOutbox());
});

/* --- web push ------------------------------------------------------------------------------------------- */

self.addEventListener("push", function (event) {
  var data = {};
  if (event.data) {
    try {
      data = event.data.json();
    } catch (error) {
      data = { body: event.data.text() };
    }
  }
  var options = {
    body: data.body || "",
    icon: "/static/web/icon.svg",
    badge: "/static/web/icon.svg",
    data: { url: data.url || DEFAULT_URL },
  };
  if (data.tag) options.tag = data.tag;
  if (data.lang) options.lang = data.lang;
  event.waitUntil(self.registration.showNotification(data.title || "ansinh", options));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var wanted = (event.notification.data && event.notification.data.url) || DEFAULT_URL;
  var target = new URL(wanted, self.location.origin);
  if (target.origin !== self.location.origin) target = new URL(DEFAULT_URL, self.location.origin);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i += 1) {
        if (windows[i].url === target.href && "focus" in windows[i]) return windows[i].focus();
      }
      return self.clients.openWindow(target.href);
    })
  );
});
