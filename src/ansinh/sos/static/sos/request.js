/* One request of the worker: while the page is visible it asks the server every 4 seconds (and at once
 * when the page is shown again or the network returns) for the status and the messages, and says so on
 * the page when the status changes or the operator writes. Replying and cancelling go as JSON without
 * reloading the page; without JavaScript the same forms are posted as they are.
 * Texts come translated from data attributes of #request. */
(function () {
  "use strict";

  var box = document.getElementById("request");
  var app = window.ansinhApp;
  if (!box || box.dataset.ready || !app || !window.fetch) return;
  box.dataset.ready = "1";

  var notice = document.getElementById("request-notice");
  var statusText = document.getElementById("request-status");
  var timeline = document.getElementById("request-timeline");
  var list = document.getElementById("request-messages");
  var empty = document.getElementById("request-no-messages");
  var cancelForm = document.getElementById("request-cancel");
  var replyForm = document.getElementById("request-reply");
  var replyError = document.getElementById("request-reply-error");
  var status = box.dataset.status;
  var seen = {};
  var cancelTimer = null;

  Array.prototype.forEach.call(list.querySelectorAll("[data-id]"), function (node) {
    seen[node.dataset.id] = true;
  });

  function message(name, values) {
    var text = box.dataset[name] || "";
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }

  function tell(text) {
    notice.textContent = text;
    notice.hidden = false;
  }

  function renderTimeline(steps) {
    while (timeline.firstChild) timeline.removeChild(timeline.firstChild);
    steps.forEach(function (step) {
      var item = document.createElement("li");
      item.className = "timeline__step" + (step.done ? " is-done" : "") + (step.current ? " is-current" : "");
      if (step.current) item.setAttribute("aria-current", "step");
      var label = document.createElement("span");
      label.className = "timeline__label";
      label.textContent = step.label;
      item.appendChild(label);
      if (step.at) {
        var at = document.createElement("span");
        at.className = "timeline__at";
        at.textContent = step.at;
        item.appendChild(document.createTextNode(" "));
        item.appendChild(at);
      }
      timeline.appendChild(item);
    });
  }

  function addMessage(item) {
    var entry = document.createElement("li");
    entry.className = "chat__msg " + (item.from_operator ? "chat__msg--operator" : "chat__msg--me");
    entry.dataset.id = String(item.id);
    var who = document.createElement("p");
    who.className = "chat__who";
    var author = item.from_operator ? message("msgOperator") : message("msgYou");
    who.textContent = author + " · " + item.created_at_shown;
    var body = document.createElement("p");
    body.className = "chat__body";
    body.textContent = item.body;
    entry.appendChild(who);
    entry.appendChild(body);
    list.appendChild(entry);
    seen[item.id] = true;
  }

  function scheduleCancelEnd(seconds) {
    if (cancelTimer) window.clearTimeout(cancelTimer);
    if (!cancelForm) return;
    cancelForm.hidden = !seconds;
    if (seconds) cancelTimer = window.setTimeout(function () { cancelForm.hidden = true; }, seconds * 1000);
  }

  function render(data, quiet) {
    var news = [];
    if (data.status !== status) {
      news.push(message("msgStatus", { status: data.status_label }));
      status = data.status;
    }
    statusText.textContent = data.status_label;
    renderTimeline(data.timeline || []);
    var fresh = (data.messages || []).filter(function (item) { return !seen[item.id]; });
    fresh.forEach(addMessage);
    if (fresh.some(function (item) { return item.from_operator; })) news.push(message("msgNewMessage"));
    if (empty) empty.hidden = list.children.length > 0;
    scheduleCancelEnd(data.cancel_seconds_left || 0);
    if (news.length && !quiet) tell(news.join(" "));
  }

  function refresh() {
    return app.call(box.dataset.jsonUrl).then(function (answer) {
      if (answer.ok && answer.data) render(answer.data);
    });
  }

  if (replyForm) {
    replyForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var field = replyForm.elements.namedItem("body");
      var button = replyForm.querySelector("button[type=submit]");
      replyError.hidden = true;
      if (!field.value.trim()) {
        replyError.textContent = message("msgEmpty");
        replyError.hidden = false;
        field.focus();
        return;
      }
      button.disabled = true;
      app.call(box.dataset.messagesUrl, { method: "POST", json: { body: field.value } }).then(function (answer) {
        if (answer.ok && answer.data) {
          field.value = "";
          render(answer.data, true);
          tell(message("msgReplied"));
        } else {
          replyError.textContent = (answer.data && answer.data.message) || message("msgError");
          replyError.hidden = false;
        }
      }, function () {
        replyError.textContent = message("msgOffline");
        replyError.hidden = false;
      }).then(function () { button.disabled = false; });
    });
  }

  if (cancelForm) {
    cancelForm.addEventListener("submit", function (event) {
      event.preventDefault();
      app.call(box.dataset.cancelUrl, { method: "POST", json: {} }).then(function (answer) {
        if (answer.ok && answer.data) {
          render(answer.data, true);
          tell(message("msgCancelled"));
        } else {
          tell((answer.data && answer.data.message) || message("msgError"));
        }
      }, function () { tell(message("msgOffline")); });
    });
  }

  scheduleCancelEnd(Number(box.dataset.cancelSeconds || 0));
  app.poll(refresh, 4);
})();
