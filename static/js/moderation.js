// Makes the moderation queue live and keyboard-friendly. Without it the queue still works:
// filters are a GET form, "Review" and bulk decisions are plain form posts.
(function () {
  "use strict";
  var list = document.getElementById("queue");
  if (!list) return;
  var statusEl = document.getElementById("live-status");
  var notice = document.getElementById("q-new");
  var lang = document.documentElement.lang || "th";
  var texts = lang === "th" ? { live: "อัปเดตสด", offline: "กำลังเชื่อมต่อใหม่…" } : { live: "Live", offline: "Reconnecting…" };
  var filtered = list.dataset.filtered === "1";
  var lastPage = list.dataset.lastPage === "1";
  var retry = 0;

  function setStatus(state) {
    if (!statusEl) return;
    statusEl.dataset.state = state;
    statusEl.textContent = texts[state] || "";
  }

  function items() { return Array.prototype.slice.call(list.querySelectorAll(".q-item")); }

  function drop(id) {
    var el = document.getElementById("q" + id);
    if (!el) return;
    var next = el.nextElementSibling || el.previousElementSibling;
    var hadFocus = el.contains(document.activeElement) || el === document.activeElement;
    el.remove();
    if (hadFocus && next && next.classList.contains("q-item")) focusItem(next);
  }

  function add(ev) {
    var old = document.getElementById("q" + ev.id);
    var t = document.createElement("template");
    t.innerHTML = ev.html.trim();
    var node = t.content.firstElementChild;
    if (old) { old.replaceWith(node); return; }
    // Oldest first: a new item belongs at the end, so only on the last page of an
    // unfiltered queue; otherwise say that something arrived.
    if (filtered || !lastPage) { if (notice) notice.hidden = false; return; }
    var empty = document.getElementById("q-empty");
    if (empty) empty.remove();
    node.classList.add("is-new");
    list.appendChild(node);
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws/moderation/?lang=" + lang);
    socket.onopen = function () { retry = 0; setStatus("live"); };
    socket.onmessage = function (msg) {
      var ev;
      try { ev = JSON.parse(msg.data); } catch (e) { return; }
      if (ev.type !== "queue") return;
      if (ev.op === "added") add(ev);
      else if (ev.op === "decided" || (ev.op === "claimed" && !ev.mine)) drop(ev.id);
    };
    socket.onclose = function (e) {
      if (e.code === 4403) return;
      setStatus("offline");
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, Math.min(15000, 500 * Math.pow(2, retry)));
    };
  }

  function focusItem(el) {
    items().forEach(function (i) { i.classList.remove("is-current"); });
    el.classList.add("is-current");
    el.focus();
  }

  function current() {
    var el = document.activeElement && document.activeElement.closest && document.activeElement.closest(".q-item");
    return el || list.querySelector(".q-item.is-current");
  }

  document.addEventListener("keydown", function (e) {
    var tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" && e.target.type !== "checkbox" || tag === "textarea" || tag === "select") return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var all = items();
    if (!all.length) return;
    var cur = current();
    var i = cur ? all.indexOf(cur) : -1;
    if (e.key === "j") { focusItem(all[Math.min(i + 1, all.length - 1)]); e.preventDefault(); }
    else if (e.key === "k") { focusItem(all[Math.max(i - 1, 0)]); e.preventDefault(); }
    else if (e.key === "x" && cur) { var box = cur.querySelector('input[type="checkbox"]'); box.checked = !box.checked; e.preventDefault(); }
    else if (e.key === "Enter" && cur && e.target === cur) { cur.querySelector("button[formaction]").click(); e.preventDefault(); }
  });

  if ("WebSocket" in window) connect();
})();
