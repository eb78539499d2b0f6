// The projector's answer wall and doe-agenda: fit whatever the server sends on one screen and
// page through the rest (docs/wall.md). The server sends every answer in the facilitator's
// order and the choices in #projector-wall; this file only decides what fits, from real sizes.
(function () {
  "use strict";

  var REFERENCE = 1080;             // type sizes below are CSS px on a 1080-line screen
  var SIZES = [64, 56, 48, 42, 36, 32, 28];
  var MINIMUM = 28;                 // the back row's minimum (docs/wall.md)
  var MAX_COLUMNS = 6;
  var LOOKAHEAD = 8;
  var params = new URLSearchParams(window.location.search);
  // Seconds a page stays; ?wall_interval= sets another (tests, or a facilitator's taste).
  var seconds = parseFloat(params.get("wall_interval") || "9");
  var INTERVAL = 1000 * (isFinite(seconds) ? Math.min(Math.max(seconds, 0.2), 120) : 9);

  // htmx copies a swapped element's old `style` onto its replacement until it settles; our CSP
  // (style-src 'self') refuses that copy and logs an error. The wall places its items again
  // after every swap, so it needs nothing settled.
  if (window.htmx) {
    window.htmx.config.attributesToSettle = window.htmx.config.attributesToSettle.filter(
      function (name) { return name !== "style"; });
  }

  function px(size) { return size * window.innerHeight / REFERENCE; }

  // Three lists are paged: the answers (kept stable while answers arrive), the agenda and the
  // groups (each group a card).
  var KINDS = {
    answers: { list: "#projector-answer-list", measure: 13, key: function (el) { return el.id; } },
    groups: { list: "#projector-group-list", measure: 20, key: function (el) { return el.id; } },
    agenda: { list: "#agenda-items .agenda-list", measure: 24, key: function (el, i) { return "i" + i; } }
  };

  function geometry(list, size, measureEm) {
    var font = px(size);
    var gap = Math.round(font * 0.55);
    // A pixel to spare: the list's box is fractional, rounding must never cross its edge.
    var box = list.getBoundingClientRect();
    var width = Math.floor(box.width) - 1, height = Math.floor(box.height) - 1;
    var cols = Math.floor((width + gap) / (font * measureEm + gap));
    cols = Math.max(1, Math.min(MAX_COLUMNS, cols));
    return { size: size, font: font, gap: gap, cols: cols, width: width, height: height,
      box: list.clientWidth + "x" + list.clientHeight,
      colWidth: (width - (cols - 1) * gap) / cols };
  }

  function spanWidth(g, span) { return span * g.colWidth + (span - 1) * g.gap; }

  // Heights of items at a width, measured in one layout pass and kept until the element, the
  // type size or the width changes (an element pushed anew is a new element).
  var heights = new WeakMap();
  function measure(items, g, span) {
    var width = spanWidth(g, span), key = g.font + "/" + width;
    var todo = items.filter(function (item) {
      var known = heights.get(item.el);
      return !(known && known[key] !== undefined);
    });
    todo.forEach(function (item) {
      item.el.style.fontSize = "";
      item.el.style.width = width + "px";
    });
    todo.forEach(function (item) {
      var known = heights.get(item.el) || {};
      known[key] = item.el.getBoundingClientRect().height;
      heights.set(item.el, known);
    });
    return function (item) { return heights.get(item.el)[key]; };
  }

  // Masonry in reading order: each item goes to the column that is free highest up; an item
  // too tall for one column spans more. An item that does not fit leads the next page; the
  // page ends after LOOKAHEAD such misses: a page is filled, and the order moves a few places
  // at most (3 left a 720p page a third empty when a few long answers came in a row).
  // `from` continues a page already on screen.
  function pack(items, g, from) {
    var tops = from ? from.tops.slice() : new Array(g.cols).fill(0);
    var placed = [];
    // Items take their type size from the list's (em); measure at the size being tried.
    if (items.length) { items[0].el.parentElement.style.fontSize = g.font + "px"; }
    var single = measure(items, g, 1);
    var misses = 0;
    for (var i = 0; i < items.length && misses < LOOKAHEAD; i++) {
      var item = items[i], h = single(item), span = 1;
      while (h > g.height && span < g.cols) {
        span += 1;
        h = measure([item], g, span)(item);
      }
      var shrink = 1;
      if (h > g.height) {
        // Longer than the whole wall even at full width: only on a page of its own, smaller.
        if (placed.length || (from && from.placed.length)) { misses += 1; continue; }
        item.el.style.width = spanWidth(g, span) + "px";
        while (h > g.height && shrink > 0.3) {
          shrink -= 0.05;
          item.el.style.fontSize = shrink + "em";
          h = item.el.getBoundingClientRect().height;
        }
        heights.delete(item.el);
      }
      var best = null;
      for (var c = 0; c + span <= g.cols; c++) {
        var top = Math.max.apply(null, tops.slice(c, c + span));
        if (top + h <= g.height && (best === null || top < best.top)) { best = { col: c, top: top }; }
      }
      if (best === null) { misses += 1; continue; }
      for (var k = best.col; k < best.col + span; k++) { tops[k] = best.top + h + g.gap; }
      placed.push({ item: item, x: best.col * (g.colWidth + g.gap), y: best.top,
        width: spanWidth(g, span), height: h, shrink: shrink });
    }
    return { placed: (from ? from.placed : []).concat(placed), tops: tops, count: placed.length };
  }

  function itemsOf(list, kind) {
    return Array.prototype.map.call(list.children, function (el, i) {
      return { key: KINDS[kind].key(el, i), el: el };
    });
  }

  function Wall(kind) {
    this.kind = kind;
    this.list = null;
    this.scope = null;   // prompt and order: a new one starts a new cycle
    this.g = null;
    this.pages = [];     // keys per page of this cycle, in the order shown
    this.index = 0;
    this.seen = {};      // keys shown in this cycle
    this.page = null;    // the packing on screen
    this.total = 1;
  }

  // A new cycle: the largest type at which everything fits one page, else the minimum and pages.
  Wall.prototype.restart = function () {
    var items = itemsOf(this.list, this.kind);
    var measureEm = KINDS[this.kind].measure;
    var chosen = geometry(this.list, MINIMUM, measureEm);
    if (items.length && pack(items, chosen).count === items.length) {
      for (var i = 0; i < SIZES.length; i++) {
        var g = geometry(this.list, SIZES[i], measureEm);
        if (pack(items, g).count === items.length) { chosen = g; break; }
      }
    }
    this.g = chosen;
    this.list.style.fontSize = chosen.font + "px";
    this.pages = [];
    this.seen = {};
    this.index = -1;
    this.forward();
  };

  Wall.prototype.unseen = function () {
    var seen = this.seen;
    return itemsOf(this.list, this.kind).filter(function (item) { return !seen[item.key]; });
  };

  Wall.prototype.forward = function () {
    if (this.index + 1 < this.pages.length) {
      this.index += 1;
      this.show(this.pages[this.index], false);
      return;
    }
    var rest = this.unseen();
    if (!rest.length) {
      // Everything was shown: a new cycle, unless it all fits one page (nothing to turn).
      if (this.pages.length > 1) {
        this.restart();
      } else if (this.index < 0) {
        this.pages = [[]];
        this.index = 0;
        this.show([], false);
      }
      return;
    }
    var packed = pack(rest, this.g);
    var keys = packed.placed.map(function (p) { return p.item.key; });
    this.pages.push(keys);
    this.index = this.pages.length - 1;
    this.show(keys, false);
  };

  Wall.prototype.back = function () {
    if (this.index > 0) {
      this.index -= 1;
      this.show(this.pages[this.index], false);
    }
  };

  // Put a page's items on screen. With `keep`, items already there stay where they are as
  // long as nothing overlaps (an answer that grew, or went, moves the rest only then).
  Wall.prototype.show = function (keys, keep) {
    var byKey = {};
    itemsOf(this.list, this.kind).forEach(function (item) { byKey[item.key] = item; });
    var items = keys.filter(function (k) { return byKey[k]; }).map(function (k) { return byKey[k]; });
    var g = this.g, page = null;
    if (keep && this.page) {
      page = this.refit(items);
    }
    if (!page) { page = pack(items, g); }
    var shown = {};
    var self = this;
    page.placed.forEach(function (p) { shown[p.item.key] = true; self.seen[p.item.key] = true; });
    // Items that no longer fit this page go back to the ones still to show.
    keys.forEach(function (k) { if (!shown[k]) { delete self.seen[k]; } });
    this.pages[this.index] = keys.filter(function (k) { return shown[k]; });
    this.page = page;
    this.place();
  };

  // The page on screen with its items' current sizes, or null when they no longer fit there.
  Wall.prototype.refit = function (items) {
    var old = {};
    this.page.placed.forEach(function (p) { old[p.item.key] = p; });
    var g = this.g, tops = new Array(g.cols).fill(0), placed = [];
    for (var i = 0; i < items.length; i++) {
      var was = old[items[i].key];
      if (!was) { return null; }
      var span = Math.round((was.width + g.gap) / (g.colWidth + g.gap));
      var h = measure([items[i]], g, span)(items[i]);
      var col = Math.round(was.x / (g.colWidth + g.gap));
      for (var k = col; k < col + span; k++) {
        if (tops[k] > was.y + 0.5) { return null; }
      }
      if (was.y + h > g.height || was.shrink !== 1) { return null; }
      for (k = col; k < col + span; k++) { tops[k] = was.y + h + g.gap; }
      placed.push({ item: items[i], x: was.x, y: was.y, width: was.width, height: h, shrink: 1 });
    }
    return { placed: placed, tops: tops, count: placed.length };
  };

  Wall.prototype.place = function () {
    var on = {};
    this.page.placed.forEach(function (p) {
      var s = p.item.el.style;
      s.left = p.x + "px";
      s.top = p.y + "px";
      s.width = p.width + "px";
      s.fontSize = p.shrink === 1 ? "" : p.shrink + "em";
      p.item.el.classList.remove("wall-off");
      p.item.el.removeAttribute("aria-hidden");
      on[p.item.key] = true;
    });
    itemsOf(this.list, this.kind).forEach(function (item) {
      if (!on[item.key]) {
        item.el.classList.add("wall-off");
        item.el.setAttribute("aria-hidden", "true");
      }
    });
    this.list.setAttribute("data-fitted", "");
    this.list.setAttribute("data-page", String(this.index + 1));
    this.count();
  };

  // Answers that arrived join the page on screen if they fit below what is there (nothing
  // moves), else a later page; then the pages still to come are counted.
  Wall.prototype.update = function () {
    if (this.index < 0 || !this.pages.length) { this.restart(); return; }
    this.show(this.pages[this.index], true);
    if (this.index === this.pages.length - 1 && this.kind === "answers") {
      var rest = this.unseen();
      if (rest.length) {
        var more = pack(rest, this.g, this.page);
        if (more.count) {
          var self = this;
          more.placed.slice(this.page.placed.length).forEach(function (p) {
            self.pages[self.index].push(p.item.key);
            self.seen[p.item.key] = true;
          });
          this.page = more;
          this.place();
        }
      }
    }
    this.count();
  };

  Wall.prototype.count = function () {
    var rest = this.unseen(), later = 0;
    while (rest.length && later < 500) {
      var placed = {};
      pack(rest, this.g).placed.forEach(function (p) { placed[p.item.key] = true; });
      var left = rest.filter(function (item) { return !placed[item.key]; });
      rest = left.length < rest.length ? left : rest.slice(1);
      later += 1;
    }
    this.total = this.pages.length + later;
  };

  // The list the server sent last: the same prompt and order keep their cycle, else a new one.
  Wall.prototype.sync = function (list, scope) {
    var fresh = list !== this.list;
    this.list = list;
    var moved = this.g && this.g.box !== list.clientWidth + "x" + list.clientHeight;
    if (scope !== this.scope || !this.g || moved) {
      this.scope = scope;
      this.restart();
    } else if (fresh) {
      this.list.style.fontSize = this.g.font + "px";
      this.update();
    } else {
      this.update();
    }
  };

  var walls = { answers: new Wall("answers"), agenda: new Wall("agenda"), groups: new Wall("groups") };
  var lastTurn = null;
  var timer = null;

  function state() { return document.getElementById("projector-wall"); }
  function mode() { var s = state(); return s ? s.getAttribute("data-mode") : "answers"; }
  function active() {
    var kind = KINDS[mode()] ? mode() : "answers";
    var list = document.querySelector(KINDS[kind].list);
    return list && list.clientHeight > 0 ? { wall: walls[kind], list: list, kind: kind } : null;
  }
  function still() {
    var s = state();
    return !s || s.hasAttribute("data-paused") || s.querySelector(".spotlight") !== null;
  }

  function pager(current) {
    var el = document.getElementById("wall-pager");
    if (!el) { return; }
    if (!current || current.wall.total < 2) { el.textContent = ""; return; }
    var text = el.getAttribute("data-label")
      .replace("{page}", String(current.wall.index + 1))
      .replace("{pages}", String(current.wall.total));
    if (still()) { text += " · " + el.getAttribute("data-paused"); }
    el.textContent = text;
  }

  function schedule() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(function () {
      var current = active();
      if (current && !still() && current.wall.total > 1) {
        current.wall.forward();
        pager(current);
      }
      schedule();
    }, INTERVAL);
  }

  // The spotlight's type: as large as fits its box, never below the wall's minimum.
  function fitSpotlight() {
    var spot = document.querySelector("#projector-wall .spotlight");
    if (!spot) { return; }
    var box = spot.parentElement;
    for (var size = 96; size >= MINIMUM; size -= 4) {
      spot.style.fontSize = px(size) + "px";
      if (spot.scrollHeight <= box.clientHeight && spot.scrollWidth <= box.clientWidth) { return; }
    }
  }

  function refresh() {
    var current = active();
    if (current) {
      var answers = document.getElementById("projector-answers");
      var order = state() ? state().getAttribute("data-order") : "";
      var prompt = answers ? answers.getAttribute("data-prompt") : "";
      var scope = current.kind === "answers" ? prompt + "/" + order
        : current.kind === "groups" ? "groups/" + prompt : "agenda";
      current.wall.sync(current.list, scope);
    }
    // A page turn from the console or a key: by how much the shared counter moved.
    var s = state();
    var turn = s ? parseInt(s.getAttribute("data-turn"), 10) : 0;
    if (lastTurn !== null && turn !== lastTurn && current) {
      var delta = turn - lastTurn;
      for (var i = 0; i < Math.abs(delta) && i < 50; i++) {
        if (delta > 0) { current.wall.forward(); } else { current.wall.back(); }
      }
      schedule();
    }
    lastTurn = turn;
    fitSpotlight();
    pager(current);
  }

  // Keys on the projector send the same choices as the console's buttons.
  var KEYS = {
    ArrowRight: "next", PageDown: "next", n: "next",
    ArrowLeft: "previous", PageUp: "previous", p: "previous",
    " ": "pause", k: "pause",
    Escape: "unspotlight",
    a: "answers", d: "agenda", g: "groups", w: "words"
  };
  document.addEventListener("keydown", function (evt) {
    if (evt.ctrlKey || evt.metaKey || evt.altKey) { return; }
    var op = KEYS[evt.key];
    var form = document.getElementById("wall-keys");
    if (!op || !form) { return; }
    evt.preventDefault();
    var s = state();
    if (op === "pause" && s && s.hasAttribute("data-paused")) { op = "resume"; }
    if (op === "answers" || op === "agenda" || op === "groups" || op === "words") {
      form.elements.mode.value = op;
      op = "mode";
    }
    form.elements.op.value = op;
    form.requestSubmit();
  });

  var resizing = null;
  window.addEventListener("resize", function () {
    if (resizing) { window.clearTimeout(resizing); }
    resizing = window.setTimeout(function () {
      walls.answers.scope = walls.agenda.scope = walls.groups.scope = null;
      refresh();
    }, 150);
  });

  document.addEventListener("htmx:wsAfterMessage", refresh);
  document.addEventListener("DOMContentLoaded", function () { refresh(); schedule(); });
  if (document.readyState !== "loading") { refresh(); schedule(); }

  // For tests and the curious: what the wall shows now.
  window.gkWall = function () {
    var current = active();
    return current ? { kind: current.kind, page: current.wall.index + 1, pages: current.wall.total,
      size: current.wall.g ? current.wall.g.size : null, columns: current.wall.g ? current.wall.g.cols : null } : null;
  };
})();
