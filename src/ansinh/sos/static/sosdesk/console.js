// The SOS desk, live. The page is rendered by the server (and works without this script); this keeps it
// current from the websocket /ws/sos/console. Each event carries a sequence number: on every (re)connect
// the console asks for the events after the last one it applied, so a dropped connection misses nothing.
(function () {
  "use strict";
  var desk = document.getElementById("desk");
  if (!desk || !window.WebSocket) return;
  var mode = desk.dataset.mode;
  var requestId = desk.dataset.request ? Number(desk.dataset.request) : null;
  var status = document.getElementById("desk-status");
  var announce = document.getElementById("desk-announce");
  var labels = {};
  var labelsNode = document.getElementById("desk-labels");
  if (labelsNode) labels = JSON.parse(labelsNode.textContent || "{}");
  var OPEN = { received: true, assigned: true, in_progress: true };
  var last = Number(desk.dataset.sequence || 0);
  var socket = null;
  var retry = 500;

  // --- sound: only after the operator turns it on (browsers refuse audio before a click) ---------------
  var soundButton = document.getElementById("desk-sound");
  var audio = null;
  if (soundButton) {
    soundButton.addEventListener("click", function () {
      var on = soundButton.getAttribute("aria-pressed") !== "true";
      soundButton.setAttribute("aria-pressed", on ? "true" : "false");
      soundButton.textContent = on ? soundButton.dataset.on : soundButton.dataset.off;
      if (on && !audio && window.AudioContext) audio = new AudioContext();
      if (on) beep();
    });
  }
  function beep() {
    if (!audio || soundButton.getAttribute("aria-pressed") !== "true") return;
    [0, 0.35, 0.7].forEach(function (start) {
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.2;
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + start);
      tone.stop(audio.currentTime + start + 0.2);
    });
  }

  // --- the map -------------------------------------------------------------------------------------------
  var mapNode = document.getElementById("desk-map");
  var map = null;
  var markers = {};
  if (mapNode && window.L) {
    map = L.map(mapNode, { attributionControl: !!mapNode.dataset.tileUrl }).setView([30, 110], 2);
    if (mapNode.dataset.tileUrl) {
      L.tileLayer(mapNode.dataset.tileUrl, { attribution: mapNode.dataset.tileAttribution || "" }).addTo(map);
    }
  }
  function place(row) {
    if (!map) return;
    if (markers[row.id]) { map.removeLayer(markers[row.id]); delete markers[row.id]; }
    if (row.latitude === null || row.latitude === undefined || !OPEN[row.status]) return;
    markers[row.id] = L.circleMarker([row.latitude, row.longitude], {
      radius: row.kind === "sos" ? 9 : 6, color: row.kind === "sos" ? "#b00020" : "#1f4e99", weight: 2,
    }).bindTooltip(row.reference || "#" + row.id).addTo(map);
  }
  function fitMap() {
    var points = Object.keys(markers).map(function (k) { return markers[k].getLatLng(); });
    if (map && points.length) map.fitBounds(L.latLngBounds(points), { maxZoom: 12, padding: [20, 20] });
  }

  // --- the queue -----------------------------------------------------------------------------------------
  var tbody = document.querySelector("#desk-queue tbody");
  function cell(text) { var td = document.createElement("td"); td.textContent = text; return td; }
  function rowFor(r) {
    var tr = document.createElement("tr");
    tr.dataset.id = r.id; tr.dataset.kind = r.kind; tr.dataset.created = r.created_at;
    tr.dataset.acknowledged = r.acknowledged_at || "";
    tr.className = "desk-row desk-row--" + r.kind;
    var clock = cell(""); clock.className = "desk-clock"; tr.appendChild(clock);
    var ref = document.createElement("td"); var a = document.createElement("a");
    a.href = "/staff/sos/requests/" + r.id + "/"; a.textContent = r.reference || "#" + r.id; ref.appendChild(a);
    tr.appendChild(ref);
    var kind = cell(r.kind === "sos" ? desk.dataset.labelSos : desk.dataset.labelSupport);
    if (r.kind === "sos") kind.classList.add("desk-kind--sos");
    tr.appendChild(kind);
    tr.appendChild(cell((labels.status || {})[r.status] || r.status));
    tr.appendChild(cell(r.country || desk.dataset.none));
    var where = r.latitude !== null && r.latitude !== undefined ? r.latitude + ", " + r.longitude : "";
    if (r.accuracy_m) where += " (±" + r.accuracy_m + " m)";
    tr.appendChild(cell((where + " " + (r.location_text || "")).trim()));
    tr.appendChild(cell(r.assigned_to || desk.dataset.none));
    return tr;
  }
  function sortQueue() {
    var rows = Array.prototype.slice.call(tbody.querySelectorAll("tr[data-id]"));
    rows.sort(function (a, b) {
      if (a.dataset.kind !== b.dataset.kind) return a.dataset.kind === "sos" ? -1 : 1;
      return Date.parse(a.dataset.created) - Date.parse(b.dataset.created) || a.dataset.id - b.dataset.id;
    });
    rows.forEach(function (row) { tbody.appendChild(row); });
    var empty = tbody.querySelector(".desk-empty");
    if (empty) empty.hidden = rows.length > 0;
  }
  function applyToQueue(event) {
    var r = event.request;
    var existing = tbody.querySelector('tr[data-id="' + r.id + '"]');
    if (!OPEN[r.status]) {
      if (existing) existing.remove();
    } else {
      var row = rowFor(r);
      if (existing) existing.replaceWith(row); else tbody.appendChild(row);
      if (event.kind === "created") {
        row.classList.add("desk-row--new");
        if (r.kind === "sos") {
          announce.textContent = desk.dataset.newSos + " " + (r.reference || "");
          beep();
        }
      }
    }
    place(r);
    sortQueue();
    tick();
  }
  function applyToRequest(event) {
    if (event.request.id !== requestId) return;
    // Someone else acted on this request: fetch the page again and swap the parts that changed, unless
    // the operator is typing (then only say so).
    var typing = Array.prototype.some.call(document.querySelectorAll("textarea, input[type=text], input:not([type])"),
      function (f) { return f.value; });
    if (typing) { announce.textContent = announce.dataset.changed; return; }
    fetch(location.href, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("desk");
      if (fresh) { desk.replaceWith(fresh); desk = fresh; announce.textContent = announce.dataset.changed; }
    });
  }

  function tick() {
    if (!tbody) return;
    var now = Date.now();
    tbody.querySelectorAll("tr[data-id]").forEach(function (row) {
      var waited = Math.max(0, Math.floor((now - Date.parse(row.dataset.created)) / 1000));
      var limit = Number(row.dataset.kind === "sos" ? desk.dataset.sosLimit : desk.dataset.supportLimit);
      var m = Math.floor(waited / 60), s = waited % 60;
      var clock = row.querySelector(".desk-clock");
      var text = (m ? m + " min " : "") + s + " s";
      var late = !row.dataset.acknowledged && waited > limit;
      clock.textContent = late ? text + " — " + desk.dataset.late : text;
      row.classList.toggle("desk-row--late", late);
    });
  }

  // --- the socket ------------------------------------------------------------------------------------------
  function setStatus(live) {
    if (!status) return;
    status.textContent = live ? status.dataset.live : status.dataset.offline;
    status.classList.toggle("desk-status--live", live);
    desk.dataset.live = live ? "true" : "false";
  }
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/sos/console");
    socket.onopen = function () { retry = 500; socket.send(JSON.stringify({ type: "resume", after: last })); };
    socket.onmessage = function (message) {
      var event = JSON.parse(message.data);
      if (event.type === "live") { setStatus(true); return; }
      if (event.type !== "desk.event" || event.sequence <= last) return;
      last = event.sequence;
      desk.dataset.sequence = String(last);
      if (mode === "console") applyToQueue(event); else applyToRequest(event);
    };
    socket.onclose = function () {
      setStatus(false);
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10000);
    };
  }

  if (tbody) {
    tbody.querySelectorAll("tr[data-id]").forEach(function (row) {
      if (row.dataset.lat) {
        place({ id: row.dataset.id, kind: row.dataset.kind, status: "received", latitude: Number(row.dataset.lat),
                longitude: Number(row.dataset.lon), reference: row.querySelector("a").textContent });
      }
    });
    fitMap();
    tick();
    setInterval(tick, 1000);
  } else {
    var here = document.getElementById("request-coordinates");
    if (here && map) {
      var point = [Number(here.dataset.lat), Number(here.dataset.lon)];
      L.circleMarker(point, { radius: 9, color: "#b00020" }).addTo(map);
      map.setView(point, 13);
    }
  }
  connect();
})();
