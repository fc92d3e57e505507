// The unread-notice count in the header, kept live by the page's WebSocket (live.js passes
// every message on as a "live:message" event; the server sends {"type": "notify", "op":
// "count"}). Without JavaScript the count is right when the page loads.
(function () {
  "use strict";
  var badge = document.querySelector("[data-notice-count]");
  if (!badge) return;
  var number = badge.querySelector("[data-notice-n]");
  document.addEventListener("live:message", function (e) {
    var ev = e.detail;
    if (!ev || ev.type !== "notify" || ev.op !== "count") return;
    var n = parseInt(ev.count, 10);
    if (isNaN(n) || n < 0) return;
    number.textContent = String(n);
    badge.hidden = n === 0;
  });
})();
