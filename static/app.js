// Gesprekskaarten client glue: idempotency keys, drafts that survive reconnects, timer,
// connection status. No inline script anywhere: the CSP allows scripts from self only.
(function () {
  "use strict";

  function randomKey() {
    // crypto.randomUUID needs a secure context; a LAN address over http is not one.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  // One key per form instance: a resend after a reconnect carries the same key.
  document.addEventListener("htmx:wsConfigSend", function (evt) {
    var form = evt.detail.elt && evt.detail.elt.closest ? evt.detail.elt.closest("form") : null;
    if (!form) { return; }
    var field = form.querySelector("input[name=idempotency_key]");
    if (field) {
      if (!field.value) { field.value = randomKey(); }
      evt.detail.parameters.idempotency_key = field.value;
      form.setAttribute("data-sent", "1");
    }
  });

  // Every push says which seq it builds on (data-base on #sync); a snapshot says none. A push
  // that does not build on what this page shows means one went missing: skip it and ask
  // for the full state, once, until it arrives.
  var SYNC = /<div id="sync" data-seq="(\d+)"(?: data-base="(\d+)")?/;
  var resyncing = false;
  document.addEventListener("htmx:wsBeforeMessage", function (evt) {
    var text = typeof evt.detail.message === "string" ? evt.detail.message : "";
    var match = SYNC.exec(text);
    if (!match) { return; }
    if (match[2] === undefined) { resyncing = false; return; }
    var here = document.getElementById("sync");
    if (resyncing || !here || here.getAttribute("data-seq") !== match[2]) {
      evt.preventDefault();
      if (!resyncing && evt.detail.socketWrapper) {
        resyncing = true;
        evt.detail.socketWrapper.send(JSON.stringify({ type: "resync" }));
      }
    }
  });
  document.addEventListener("htmx:wsOpen", function () { resyncing = false; });

  // Drafts: keep typed text in sessionStorage until the server confirms the answer.
  function draftKey(form) { return "gk-draft-" + form.getAttribute("data-draft-key"); }

  document.addEventListener("input", function (evt) {
    var form = evt.target.closest && evt.target.closest("form[data-draft-key]");
    if (form && evt.target.name === "text") {
      try { sessionStorage.setItem(draftKey(form), evt.target.value); } catch (e) { /* full */ }
    }
  });

  function restoreDrafts(root) {
    var forms = (root || document).querySelectorAll("form[data-draft-key]");
    Array.prototype.forEach.call(forms, function (form) {
      var area = form.querySelector("textarea[name=text]");
      var saved = null;
      try { saved = sessionStorage.getItem(draftKey(form)); } catch (e) { saved = null; }
      if (area && saved && !area.value) { area.value = saved; }
    });
  }

  document.addEventListener("htmx:wsAfterMessage", function (evt) {
    var text = typeof evt.detail.message === "string" ? evt.detail.message : "";
    if (text.indexOf("flash-ok") !== -1 && text.indexOf('id="answer-form"') !== -1) {
      // The server committed the answer and sent a fresh form: the draft is done.
      for (var i = sessionStorage.length - 1; i >= 0; i--) {
        var k = sessionStorage.key(i);
        if (k && k.indexOf("gk-draft-") === 0) { sessionStorage.removeItem(k); }
      }
    } else {
      restoreDrafts(document);
    }
    startTimer();
    markOwnAnswers();
  });

  // The room's answers are one fragment for every phone, so the server cannot leave out
  // the "Herken ik" button on your own answer (it would only fail); hide it here.
  function markOwnAnswers() {
    var own = {};
    Array.prototype.forEach.call(document.querySelectorAll("#my-answers [data-answer-id]"), function (el) {
      own[el.getAttribute("data-answer-id")] = true;
    });
    Array.prototype.forEach.call(document.querySelectorAll("#room-answers [data-answer-id]"), function (el) {
      el.classList.toggle("is-own", own[el.getAttribute("data-answer-id")] === true);
    });
  }

  // Connection status, in words people understand.
  var lost = false;
  function status(text, cls) {
    var el = document.getElementById("connection");
    if (!el) { return; }
    el.textContent = text;
    el.className = "connection " + cls;
  }
  // 4403: the server refused this socket (logged out, no longer in the workshop, wrong
  // origin). htmx-ext-ws does not retry it, and neither may we: say so and stay closed.
  var refused = false;
  document.addEventListener("htmx:wsClose", function (evt) {
    var code = evt.detail && evt.detail.event ? evt.detail.event.code : 0;
    if (code === 4403) {
      refused = true;
      status(document.documentElement.lang === "en" ? "No access any more. Reload the page." : "Geen toegang meer. Laad de pagina opnieuw.", "connection-lost");
      return;
    }
    lost = true;
    status(document.documentElement.lang === "en" ? "Connection lost – trying again…" : "Verbinding kwijt – we proberen het opnieuw…", "connection-lost");
  });
  // A phone that loses its network often keeps a dead socket for minutes: say so at once, and
  // when the network is back, replace the socket so the page catches up from a fresh snapshot.
  var sockets = [];
  var createSocket = window.htmx && window.htmx.createWebSocket;
  if (createSocket) {
    window.htmx.createWebSocket = function (url) {
      var socket = createSocket(url);
      sockets.push(socket);
      return socket;
    };
  }
  function drop(socket) {
    var onclose = socket.onclose;
    socket.onclose = null;
    try { socket.close(); } catch (e) { /* already closing */ }
    // 1006 is what a lost connection reports; htmx-ext-ws reconnects after it.
    if (onclose) { onclose.call(socket, new CloseEvent("close", {code: 1006, reason: "offline"})); }
  }
  window.addEventListener("offline", function () {
    if (refused) { return; }
    lost = true;
    status(document.documentElement.lang === "en" ? "Connection lost – trying again…" : "Verbinding kwijt – we proberen het opnieuw…", "connection-lost");
  });
  window.addEventListener("online", function () {
    if (refused) { return; }
    var live = sockets.filter(function (s) { return s.readyState !== WebSocket.CLOSED; });
    sockets = [];
    live.forEach(drop);
  });
  document.addEventListener("htmx:wsOpen", function () {
    if (lost) {
      status(document.documentElement.lang === "en" ? "Connected again." : "Weer verbonden.", "connection-back");
      window.setTimeout(function () { status("", ""); }, 3000);
    }
    lost = false;
  });

  // Countdown from the server's end time; the server refuses late answers itself.
  var ticking = null;
  function startTimer() {
    var el = document.getElementById("timer");
    if (ticking) { window.clearInterval(ticking); ticking = null; }
    if (!el || !el.getAttribute("data-ends-at")) { return; }
    var end = Date.parse(el.getAttribute("data-ends-at"));
    var display = el.querySelector(".timer-display");
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      if (display) { display.textContent = m + ":" + (s < 10 ? "0" : "") + s; }
      el.classList.toggle("timer-done", left === 0);
      if (left === 0 && ticking) { window.clearInterval(ticking); ticking = null; }
    }
    tick();
    ticking = window.setInterval(tick, 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    restoreDrafts(document);
    startTimer();
    markOwnAnswers();
  });
})();

// The console's answer list is re-rendered live; keep the answers ticked for a new actiepunt
// ticked across those pushes, and start clean once the item was made.
(function () {
  "use strict";
  var picked = {};
  document.addEventListener("change", function (evt) {
    var box = evt.target;
    if (box && box.name === "answer_ids" && box.getAttribute("form") === "agenda-new") {
      if (box.checked) { picked[box.value] = true; } else { delete picked[box.value]; }
    }
  });
  document.addEventListener("htmx:wsAfterMessage", function () {
    var boxes = document.querySelectorAll("input[name=answer_ids][form=agenda-new]");
    Array.prototype.forEach.call(boxes, function (box) { box.checked = !!picked[box.value]; });
  });
  document.addEventListener("htmx:afterRequest", function (evt) {
    var form = evt.detail.elt;
    // An error is swapped into #flash, which htmx counts as successful: check the status,
    // or a refused item would empty the form the facilitator just typed.
    var saved = evt.detail.successful && evt.detail.xhr && evt.detail.xhr.status < 400;
    if (form && form.id === "agenda-new" && saved) {
      form.reset();
      picked = {};
      var boxes = document.querySelectorAll("input[name=answer_ids][form=agenda-new]");
      Array.prototype.forEach.call(boxes, function (box) { box.checked = false; });
    }
  });
  // A link shown once (an owner's personal link): one click selects it for copying.
  document.addEventListener("focusin", function (evt) {
    if (evt.target && evt.target.hasAttribute && evt.target.hasAttribute("data-select-on-focus")) {
      evt.target.select();
    }
  });
})();

// A screen reader cannot follow fragments that are replaced whole, so what matters is spoken
// through one region that stays put: a new prompt, the count of answers, the dots left.
// Elements mark it with data-announce (a key) and optionally data-announce-text.
(function () {
  "use strict";
  var heard = {};
  function collect(speak) {
    var news = [];
    Array.prototype.forEach.call(document.querySelectorAll("[data-announce]"), function (el) {
      var key = el.getAttribute("data-announce");
      var text = (el.getAttribute("data-announce-text") || el.textContent).replace(/\s+/g, " ").trim();
      if (speak && heard[key] !== text) { news.push(text); }
      heard[key] = text;
    });
    var region = document.getElementById("announcer");
    if (region && news.length) { region.textContent = news.join(" · "); }
  }
  document.addEventListener("DOMContentLoaded", function () { collect(false); });
  document.addEventListener("htmx:wsAfterMessage", function () { collect(true); });
})();

// A push replaces whole fragments. When the focused control was in one, put the focus back on
// the same control in the new fragment (or the nearest one), never let it fall to the page's top.
(function () {
  "use strict";
  var FOCUSABLE = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), " +
    "select:not([disabled]), textarea:not([disabled]), summary, [tabindex='0']";
  var saved = null;

  function signature(el) {
    var form = el.form || (el.closest && el.closest("form"));
    var hidden = form ? Array.prototype.map.call(
      form.querySelectorAll("input[type=hidden]:not([name=idempotency_key]):not([name=csrf_token])"),
      function (i) { return i.name + "=" + i.value; }).join("&") : "";
    var answer = el.closest("[data-answer-id]");
    return [el.tagName, el.name || "", hidden, answer ? answer.getAttribute("data-answer-id") : ""].join("|");
  }

  document.addEventListener("htmx:wsBeforeMessage", function () {
    var el = document.activeElement;
    var fragment = el && el !== document.body ? el.closest("[id]") : null;
    // The fragment is the outermost element with an id that a push replaces: its section.
    while (fragment && fragment.parentElement && fragment.parentElement.closest("[id]") &&
           !fragment.matches("section[id], div[id=timer], div[id=flash]")) {
      fragment = fragment.parentElement.closest("[id]");
    }
    saved = fragment ? {el: el, id: el.id, sig: signature(el), text: el.textContent, fragment: fragment.id} : null;
  });

  document.addEventListener("htmx:wsAfterMessage", function () {
    if (!saved || document.body.contains(saved.el)) { return; }
    var target = saved.id ? document.getElementById(saved.id) : null;
    var fragment = document.getElementById(saved.fragment);
    if (!target && fragment) {
      var all = Array.prototype.filter.call(fragment.querySelectorAll(FOCUSABLE), function (el) {
        return el.offsetParent !== null;
      });
      var same = all.filter(function (el) { return signature(el) === saved.sig; });
      var sameText = all.filter(function (el) { return el.textContent === saved.text; });
      target = same[0] || sameText[0] || all[0] || null;
      if (!target) {
        fragment.setAttribute("tabindex", "-1");
        target = fragment;
      }
    }
    saved = null;
    if (target) { target.focus({preventScroll: true}); }
  });
})();

// New workshop: picking a deck picks the kind of meeting it is made for (the facilitator can
// still change the kind afterwards); "herken ik" shows whether you pressed it.
(function () {
  document.addEventListener("change", function (evt) {
    var deck = evt.target;
    if (!deck.matches || !deck.matches("input[name=deck_slug][data-kind]")) { return; }
    var kind = document.querySelector("input[name=kind][value='" + deck.getAttribute("data-kind") + "']");
    if (kind) { kind.checked = true; }
  });

  // The room's answers are one fragment for every phone; which ones you recognised comes
  // in your private fragment (#my-reactions) and is applied to the buttons here.
  function markReactions() {
    var holder = document.getElementById("my-reactions");
    var mine = {};
    if (holder) {
      (holder.getAttribute("data-answer-ids") || "").split(" ").forEach(function (id) { if (id) { mine[id] = true; } });
    }
    Array.prototype.forEach.call(document.querySelectorAll("#room-answers [data-answer-id]"), function (el) {
      var button = el.querySelector("button.plus-one");
      if (button) { button.setAttribute("aria-pressed", mine[el.getAttribute("data-answer-id")] ? "true" : "false"); }
    });
  }
  document.addEventListener("DOMContentLoaded", markReactions);
  document.addEventListener("htmx:wsAfterMessage", markReactions);
})();
