/* ansinh service worker, served at /sw.js so that it covers the whole site.
 *
 * Web push: shows the notification the server sent ({title, body, url, tag, lang}) and, when it is
 * touched, opens (or focuses) the page it points to. Only pages of this site are opened. */
"use strict";

var DEFAULT_URL = "/inbox/";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

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
