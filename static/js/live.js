// Makes a consultation page live. The page works without this file: forms post and redirect.
//
// Changes to comments come numbered per consultation ("seq"). The page starts at the number it
// was rendered at (data-seq) and keeps the last number it has applied in order; on connect,
// after a gap in the numbers, or when the server says it dropped messages ("resync"), it asks
// for everything after that number ("sync") and gets it exactly, whatever the sort order.
(function () {
  "use strict";
  var list = document.getElementById("comment-list");
  if (!list) return;
  var consultationId = list.dataset.consultation;
  var seq = parseInt(list.dataset.seq || "0", 10);
  var maxSeen = seq, syncing = false, syncAgain = false, stopped = false;
  var added = {};
  var filterSection = list.dataset.section;
  var livePrepend = list.dataset.firstPage === "1" && list.dataset.sort === "newest";
  var statusEl = document.getElementById("live-status");
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var lang = document.documentElement.lang || "th";
  var socket = null, retry = 0, pending = null;
  var texts = lang === "th"
    ? { live: "อัปเดตสด", offline: "กำลังเชื่อมต่อใหม่…", sent: "ส่งแล้ว", held: "รอตรวจสอบก่อนเผยแพร่", error: "ส่งไม่สำเร็จ ลองอีกครั้ง",
        report: "หน่วยงานเผยแพร่รายงานผลการรับฟังความคิดเห็นแล้ว", changed: "การรับฟังความคิดเห็นนี้มีการเปลี่ยนแปลง",
        behind: "มีความเห็นใหม่จำนวนมากตั้งแต่เปิดหน้านี้", reload: "โหลดหน้าใหม่" }
    : { live: "Live", offline: "Reconnecting…", sent: "Sent", held: "Sent; it will appear after review", error: "Could not send. Please try again.",
        report: "The agency has published its report on this consultation.", changed: "This consultation has changed.",
        behind: "Much has changed since this page was opened.", reload: "Reload the page" };

  function setStatus(state) {
    if (!statusEl) return;
    statusEl.dataset.state = state;
    statusEl.textContent = texts[state] || "";
  }

  function fragment(html) {
    var t = document.createElement("template");
    t.innerHTML = html.trim();
    var node = t.content.firstElementChild;
    node.querySelectorAll("form").forEach(function (f) {
      if (!f.querySelector('input[name="csrfmiddlewaretoken"]')) {
        var i = document.createElement("input");
        i.type = "hidden"; i.name = "csrfmiddlewaretoken"; i.value = csrf;
        f.appendChild(i);
      }
    });
    return node;
  }

  function pageIds() {
    return Array.prototype.map.call(list.querySelectorAll("[data-id]"), function (el) {
      return parseInt(el.dataset.id, 10);
    });
  }

  function matchesFilter(ev) {
    if (!filterSection) return true;
    if (filterSection === "general") return ev.section === null;
    return String(ev.section) === filterSection;
  }

  function addComment(ev) {
    if (added[ev.id] || document.getElementById("c" + ev.id)) return;
    added[ev.id] = true;
    var node = fragment(ev.html);
    node.classList.add("is-new");
    if (ev.root) {
      var box = document.getElementById("replies-" + ev.root);
      if (box) box.insertBefore(node, box.querySelector(":scope > .more-replies"));
    } else if (livePrepend && matchesFilter(ev)) {
      var empty = document.getElementById("no-comments");
      if (empty) empty.remove();
      list.insertBefore(node, list.firstElementChild);
    }
    if (ev.section !== null && !ev.root) {
      bump(document.querySelector('[data-section-count="' + ev.section + '"]'));
    }
  }

  function bump(el) {
    if (!el) return;
    el.textContent = el.textContent.replace(/\d+/, function (n) { return String(parseInt(n, 10) + 1); });
  }

  function replaceComment(ev) {
    var old = document.getElementById("c" + ev.id);
    if (!old) return;
    var node = fragment(ev.html);
    var oldReplies = old.querySelector(":scope > .replies");
    var newReplies = node.querySelector(":scope > .replies");
    if (oldReplies && newReplies) newReplies.replaceWith(oldReplies);
    // The card comes the same for everyone; this person's own vote is kept from the page.
    old.querySelectorAll(':scope > .votes .vote-btn[aria-pressed="true"]').forEach(function (b) {
      var same = node.querySelector(':scope > .votes .vote-btn[data-value="' + b.dataset.value + '"]');
      if (same) same.setAttribute("aria-pressed", "true");
    });
    if (old.classList.contains("is-new")) node.classList.add("is-new");
    old.replaceWith(node);
  }

  function showNotice(message) {
    var box = document.getElementById("live-notice");
    if (!box) {
      box = document.createElement("p");
      box.id = "live-notice"; box.className = "card live-notice"; box.setAttribute("role", "status");
      list.parentNode.insertBefore(box, list);
    }
    box.textContent = message + " ";
    var a = document.createElement("a");
    a.href = location.pathname + location.search; a.textContent = texts.reload;
    box.appendChild(a);
  }

  function apply(ev) {
    if (ev.type === "comment" && ev.op === "created") addComment(ev);
    else if (ev.type === "comment" && ev.op === "status") replaceComment(ev);
    else if (ev.type === "consultation") showNotice(ev.what === "report" ? texts.report : texts.changed);
  }

  function requestSync() {
    if (stopped || !socket || socket.readyState !== 1) return;
    if (syncing) { syncAgain = true; return; }
    syncing = true; syncAgain = false;
    socket.send(JSON.stringify({ type: "sync", seq: seq, ids: pageIds() }));
  }

  function numbered(ev) {
    if (ev.seq <= seq) return;  // applied already
    if (ev.seq > maxSeen) maxSeen = ev.seq;
    apply(ev);
    if (ev.seq === seq + 1 && !syncing) seq = ev.seq;
    else requestSync();  // a gap in the numbers: ask for what is missing
  }

  function synced(msg) {
    msg.events.forEach(apply);
    if (msg.seq > seq) seq = msg.seq;
    syncing = false;
    if (msg.more || syncAgain || maxSeen > seq) requestSync();
  }

  function setCounts(counts) {
    Object.keys(counts).forEach(function (id) {
      var el = document.getElementById("c" + id);
      if (!el) return;
      var c = counts[id];
      var votes = el.querySelector(":scope > .votes");
      if (!votes) return;
      [["1", c.agree], ["-1", c.disagree], ["0", c.pass]].forEach(function (pair) {
        var span = votes.querySelector('[data-count="' + pair[0] + '"]');
        if (span) span.textContent = pair[1];
      });
    });
  }

  function setPositions(counts) {
    var total = 0;
    Object.keys(counts).forEach(function (k) { total += counts[k]; });
    Object.keys(counts).forEach(function (k) {
      var n = document.querySelector('[data-position-count="' + k + '"]');
      if (n) n.textContent = counts[k];
      var bar = document.querySelector('[data-position-bar="' + k + '"]');
      if (bar) bar.style.width = (total ? Math.round(100 * counts[k] / total) : 0) + "%";
    });
  }

  // The page's own host first, then any other address serving the same WebSockets: after a
  // failed attempt the next one is tried.
  var hosts = [(location.protocol === "https:" ? "wss://" : "ws://") + location.host].concat(
    (list.getAttribute("data-live-origins") || "").split(" ").filter(Boolean));
  var hostIndex = 0;

  function retryLater() {
    setStatus("offline");
    hostIndex += 1;
    retry = Math.min(retry + 1, 6);
    pending = setTimeout(connect, Math.min(15000, 500 * Math.pow(2, retry)));
  }

  function connect() {
    pending = null;
    try {
      open();
    } catch (e) {
      retryLater();  // refused before it started (an address the page may not reach): later
    }
  }

  function open() {
    socket = new WebSocket(hosts[hostIndex % hosts.length] + "/ws/consultations/" + consultationId + "/?lang=" + lang);
    socket.onopen = function () {
      retry = 0; syncing = false;
      setStatus("live");
      requestSync();
    };
    socket.onmessage = function (msg) {
      var ev;
      try { ev = JSON.parse(msg.data); } catch (e) { return; }
      document.dispatchEvent(new CustomEvent("live:message", { detail: ev }));
      if (ev.type === "sync") {
        if (ev.op === "batch") synced(ev);
        else if (ev.op === "resync") { syncing = false; requestSync(); }
        else if (ev.op === "reload") { stopped = true; showNotice(texts.behind); }
      }
      else if (typeof ev.seq === "number") numbered(ev);
      else if (ev.type === "votes") setCounts(ev.counts);
      else if (ev.type === "positions") setPositions(ev.counts);
    };
    socket.onclose = function (e) {
      syncing = false;
      if (e.code === 4403) return;
      retryLater();
    };
  }

  // Back online after a drop: connect now instead of waiting out the backoff.
  window.addEventListener("online", function () {
    if (pending === null || stopped) return;
    clearTimeout(pending);
    retry = 0;
    connect();
  });

  function postForm(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.set(submitter.name, submitter.value);
    return fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf },
    }).then(function (r) { return r.json().then(function (data) { return { status: r.status, data: data }; }); });
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.classList.contains("vote-form")) {
      e.preventDefault();
      var submitter = e.submitter;
      var plain = function () {
        // Without the script's help: the same post as a plain form, with the button's value.
        if (submitter && submitter.name) {
          var i = document.createElement("input");
          i.type = "hidden"; i.name = submitter.name; i.value = submitter.value;
          form.appendChild(i);
        }
        form.submit();
      };
      postForm(form, submitter).then(function (res) {
        if (!res.data.ok) {
          if (res.status === 403) { plain(); return; }
          var note = form.querySelector(".vote-error") || document.createElement("span");
          note.className = "small errorlist vote-error"; note.setAttribute("role", "alert");
          note.textContent = res.data.error || texts.error;
          form.appendChild(note);
          return;
        }
        var counts = {}; counts[res.data.id] = res.data.counts;
        setCounts(counts);
        var box = form.closest(".votes");
        box.querySelectorAll(".vote-btn").forEach(function (b) {
          b.setAttribute("aria-pressed", String(b.dataset.value === String(res.data.value)));
        });
      }).catch(plain);
    } else if (form.classList.contains("comment-form")) {
      e.preventDefault();
      var note = form.querySelector("[data-form-status]");
      var button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      postForm(form).then(function (res) {
        button.disabled = false;
        form.querySelectorAll(".errorlist.live").forEach(function (el) { el.remove(); });
        if (res.data.ok) {
          form.querySelector("textarea").value = "";
          if (note) note.textContent = res.data.status === "published" ? texts.sent : texts.held;
          if (res.data.status === "published") {
            var parentInput = form.querySelector('input[name="parent"]');
            var root = null;
            if (parentInput) {
              var parentEl = document.getElementById("c" + parentInput.value);
              root = parentEl && (parentEl.dataset.root || parentEl.dataset.id);
              var details = form.closest("details"); if (details) details.open = false;
            }
            var sectionSel = form.querySelector('select[name="section"]');
            if (document.getElementById("c" + res.data.id)) {
              // The live message came first: show the card as the author sees it (edit, no votes).
              replaceComment({ id: res.data.id, html: res.data.html });
            } else {
              addComment({ id: res.data.id, html: res.data.html, root: root ? parseInt(root, 10) : null,
                           section: sectionSel && sectionSel.value ? parseInt(sectionSel.value, 10) : null });
            }
          }
        } else {
          var ul = document.createElement("ul");
          ul.className = "errorlist live"; ul.setAttribute("role", "alert");
          var errs = res.data.errors || { __all__: [{ message: res.data.error || texts.error }] };
          Object.keys(errs).forEach(function (k) {
            errs[k].forEach(function (er) { var li = document.createElement("li"); li.textContent = er.message; ul.appendChild(li); });
          });
          form.querySelector("textarea").before(ul);
        }
      }).catch(function () {
        button.disabled = false;
        if (note) note.textContent = texts.error;
      });
    }
  });

  if ("WebSocket" in window) connect();
})();
