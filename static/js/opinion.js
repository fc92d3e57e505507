// Keeps the opinion map current: the server pushes a freshly rendered map when votes change
// it. Without this file the page still shows the map as it was when loaded.
(function () {
  "use strict";
  var root = document.getElementById("opinion-root");
  if (!root || !("WebSocket" in window)) return;
  var consultationId = root.dataset.consultation;
  var lang = document.documentElement.lang || "th";
  var retry = 0;

  function version() {
    var live = document.getElementById("opinion-live");
    return live ? parseInt(live.dataset.version || "0", 10) : 0;
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(
      scheme + location.host + "/ws/consultations/" + consultationId + "/?opinion=1&lang=" + lang
    );
    socket.onopen = function () {
      retry = 0;
      root.dataset.live = "1";
      socket.send(JSON.stringify({ type: "opinion", version: version() }));
    };
    socket.onmessage = function (e) {
      var ev;
      try { ev = JSON.parse(e.data); } catch (err) { return; }
      if (ev.type !== "opinion" || ev.op !== "map" || ev.version <= version()) return;
      var t = document.createElement("template");
      t.innerHTML = ev.html.trim();
      var fresh = t.content.firstElementChild;
      var old = document.getElementById("opinion-live");
      if (fresh && old) old.replaceWith(fresh);
    };
    socket.onclose = function (e) {
      root.dataset.live = "0";
      if (e.code === 4403) return;
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 1000 * Math.pow(2, retry - 1) + Math.random() * 500);
    };
  }
  connect();
})();
