/* The inbox page's "Receive notifications on this device" switch.
 *
 * Registers the service worker at the site root (/sw.js), subscribes with the server's VAPID key and
 * tells the server: a same-origin POST that carries the session cookie and the page's CSRF token. Texts
 * come translated from data attributes of #push, so this file needs no message catalogue. */
(function () {
  "use strict";

  var box = document.getElementById("push");
  if (!box) return;
  var enable = document.getElementById("push-enable");
  var disable = document.getElementById("push-disable");
  var status = document.getElementById("push-status");
  var csrf = box.querySelector("input[name=csrfmiddlewaretoken]");

  function say(name) {
    status.textContent = box.dataset[name] || "";
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("msgUnsupported");
    return;
  }

  function show(subscribed) {
    enable.hidden = subscribed;
    disable.hidden = !subscribed;
  }

  // The VAPID key is base64url; pushManager.subscribe wants its bytes.
  function keyBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
      body: JSON.stringify(body),
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response;
    });
  }

  function currentSubscription() {
    return navigator.serviceWorker.getRegistration("/").then(function (registration) {
      return registration ? registration.pushManager.getSubscription() : null;
    });
  }

  function turnOn() {
    enable.disabled = true;
    Promise.resolve(Notification.requestPermission())
      .then(function (permission) {
        if (permission !== "granted") {
          say("msgDenied");
          return null;
        }
        return navigator.serviceWorker
          .register("/sw.js", { scope: "/" })
          .then(function () { return navigator.serviceWorker.ready; })
          .then(function (registration) {
            return registration.pushManager.getSubscription().then(function (existing) {
              return existing || registration.pushManager.subscribe({
                userVisibleOnly: true,
                applicationServerKey: keyBytes(box.dataset.key),
              });
            });
          })
          .then(function (subscription) { return post(box.dataset.subscribeUrl, subscription.toJSON()); })
          .then(function () {
            show(true);
            say("msgOn");
            disable.focus();
          });
      })
      .catch(function () { say("msgErrorOn"); })
      .then(function () { enable.disabled = false; });
  }

  function turnOff() {
    disable.disabled = true;
    currentSubscription()
      .then(function (subscription) {
        if (!subscription) return null;
        return post(box.dataset.unsubscribeUrl, { endpoint: subscription.endpoint }).then(function () {
          return subscription.unsubscribe();
        });
      })
      .then(function () {
        show(false);
        say("msgOff");
        enable.focus();
      })
      .catch(function () { say("msgErrorOff"); })
      .then(function () { disable.disabled = false; });
  }

  enable.addEventListener("click", turnOn);
  disable.addEventListener("click", turnOff);

  // On arrival: show the switch that matches this browser. An existing subscription is sent again, so
  // the server knows it belongs to whoever is signed in now (another account may have used this browser).
  currentSubscription()
    .then(function (subscription) {
      show(Boolean(subscription) && Notification.permission === "granted");
      if (subscription && Notification.permission === "granted") {
        return post(box.dataset.subscribeUrl, subscription.toJSON());
      }
      if (Notification.permission === "denied") say("msgDenied");
      return null;
    })
    .catch(function () { show(false); });
})();
