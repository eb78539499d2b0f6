// The facilitator's console: keyboard shortcuts, filtering and picking among many answers,
// and an actiepunt prefilled from the answers picked. Works on the rendered list, so answers
// pushed in later follow the same filter. No inline script: the CSP allows self only.
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }
  function items() { return document.querySelectorAll("#console-answer-list > li.answer"); }
  function boxOf(li) { return li.querySelector("input[name=answer_ids]"); }

  // --- Keyboard shortcuts: one letter, never while typing or with a modifier held. ---------
  function typing(el) {
    if (!el || !el.tagName) { return false; }
    var tag = el.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || el.isContentEditable;
  }
  document.addEventListener("keydown", function (evt) {
    if (evt.defaultPrevented || evt.ctrlKey || evt.metaKey || evt.altKey || typing(evt.target)) { return; }
    var key = (evt.key || "").toLowerCase();
    if (key === "/") {
      var search = $("answer-search");
      if (search && !$("answer-tools").hidden) { evt.preventDefault(); search.focus(); }
      return;
    }
    var button = document.querySelector("#console-stage [data-shortcut='" + key + "']");
    if (button && !button.disabled) { evt.preventDefault(); button.click(); }
  });

  // --- Filter -------------------------------------------------------------------------------
  var filter = { text: "", domain: "", state: "" };
  function matches(li) {
    if (filter.domain && li.getAttribute("data-domain") !== filter.domain) { return false; }
    if (filter.state === "flagged" && !li.hasAttribute("data-flagged")) { return false; }
    if (filter.state === "hidden" && !li.hasAttribute("data-hidden")) { return false; }
    if (filter.state === "shown" && li.hasAttribute("data-hidden")) { return false; }
    if (filter.text) {
      var body = li.querySelector(".answer-body");
      var meta = li.querySelector(".answer-meta");
      var hay = ((body ? body.textContent : "") + " " + (meta ? meta.textContent : "")).toLowerCase();
      if (hay.indexOf(filter.text) === -1) { return false; }
    }
    return true;
  }

  function domainLabel(value) {
    var option = document.querySelector("#answer-domain option[value='" + value + "']");
    return option ? option.textContent : value;
  }

  function apply() {
    var tools = $("answer-tools");
    if (!tools) { return; }
    var all = items(), shown = 0, picked = 0, perDomain = {}, order = [];
    Array.prototype.forEach.call(all, function (li) {
      var ok = matches(li);
      li.hidden = !ok;
      if (ok) { shown++; }
      var box = boxOf(li);
      if (box && box.checked) { picked++; }
      var d = li.getAttribute("data-domain");
      if (!(d in perDomain)) { perDomain[d] = 0; order.push(d); }
      perDomain[d]++;
    });
    var count = $("answer-shown-count");
    if (count) {
      count.textContent = count.getAttribute("data-shown-template")
        .replace("{shown}", shown).replace("{total}", all.length).replace("{picked}", picked);
    }
    // Counts per domain, in the order of the domain menu; each one filters on a click.
    var counts = $("answer-domain-counts");
    if (counts) {
      var options = document.querySelectorAll("#answer-domain option[value]");
      var chips = [];
      Array.prototype.forEach.call(options, function (o) {
        if (o.value && perDomain[o.value]) { chips.push(o.value); }
      });
      var key = chips.map(function (d) { return d + perDomain[d]; }).join(",") + "|" + filter.domain;
      if (counts.getAttribute("data-key") !== key) {
        counts.setAttribute("data-key", key);
        counts.textContent = "";
        chips.forEach(function (d) {
          var b = document.createElement("button");
          b.type = "button";
          b.className = "chip" + (filter.domain === d ? " is-active" : "");
          b.setAttribute("aria-pressed", filter.domain === d ? "true" : "false");
          b.setAttribute("data-domain", d);
          b.textContent = domainLabel(d) + " " + perDomain[d];
          counts.appendChild(b);
        });
      }
    }
  }

  function read() {
    filter.text = ($("answer-search") || {value: ""}).value.trim().toLowerCase();
    filter.domain = ($("answer-domain") || {value: ""}).value;
    filter.state = ($("answer-state") || {value: ""}).value;
    apply();
  }

  document.addEventListener("input", function (evt) {
    if (evt.target && evt.target.id === "answer-search") { read(); }
  });
  document.addEventListener("change", function (evt) {
    var id = evt.target && evt.target.id;
    if (id === "answer-domain" || id === "answer-state") { read(); }
  });
  document.addEventListener("keydown", function (evt) {
    if (evt.target && evt.target.id === "answer-search" && evt.key === "Escape") {
      evt.target.value = "";
      read();
    }
  });
  document.addEventListener("click", function (evt) {
    var chip = evt.target.closest && evt.target.closest("#answer-domain-counts .chip");
    if (!chip) { return; }
    var select = $("answer-domain");
    var d = chip.getAttribute("data-domain");
    select.value = select.value === d ? "" : d;
    read();
  });

  // --- Picking answers for an actiepunt -----------------------------------------------------
  var sequence = [];  // answer ids in the order they were picked: the first names the item
  var texts = {};

  function setPicked(box, on) {
    if (box.checked === on) { return; }
    box.checked = on;
    // app.js keeps picks across pushes by listening to change events.
    box.dispatchEvent(new Event("change", { bubbles: true }));
  }

  var lastBox = null;
  document.addEventListener("click", function (evt) {
    var box = evt.target;
    if (!box || box.name !== "answer_ids" || box.getAttribute("form") !== "agenda-new") { return; }
    if (evt.shiftKey && lastBox && document.body.contains(lastBox) && lastBox !== box) {
      // A range: every shown answer between the last one clicked and this one.
      var visible = Array.prototype.filter.call(items(), function (li) { return !li.hidden; })
        .map(boxOf).filter(Boolean);
      var a = visible.indexOf(lastBox), b = visible.indexOf(box);
      if (a !== -1 && b !== -1) {
        visible.slice(Math.min(a, b), Math.max(a, b) + 1).forEach(function (x) { setPicked(x, box.checked); });
      }
    }
    lastBox = box;
  });

  function pickShown(on) {
    Array.prototype.forEach.call(items(), function (li) {
      var box = boxOf(li);
      if (box && (!on || !li.hidden)) { setPicked(box, on); }
    });
  }
  document.addEventListener("click", function (evt) {
    var id = evt.target && evt.target.id;
    if (id === "answer-pick-shown") { pickShown(true); }
    if (id === "answer-pick-none") { pickShown(false); }
  });

  function shorten(text, limit) {
    text = text.replace(/\s+/g, " ").trim();
    if (text.length <= limit) { return text; }
    var cut = text.slice(0, limit - 1);
    var space = cut.lastIndexOf(" ");
    return (space > limit / 2 ? cut.slice(0, space) : cut) + "…";
  }

  // Fill a field only while it is empty or still holds what we filled in before.
  function fill(field, value) {
    if (!field) { return; }
    var mine = field.getAttribute("data-prefilled");
    if (field.value === "" || (mine !== null && field.value === mine)) {
      field.value = value;
      field.setAttribute("data-prefilled", value);
    }
  }

  function prefill() {
    var picked = sequence.filter(function (id) { return texts[id] !== undefined; });
    fill($("new-title"), picked.length ? shorten(texts[picked[0]], 80) : "");
    fill($("new-description"), picked.map(function (id) { return "- " + texts[id]; }).join("\n"));
  }

  document.addEventListener("change", function (evt) {
    var box = evt.target;
    if (!box || box.name !== "answer_ids" || box.getAttribute("form") !== "agenda-new") { return; }
    var i = sequence.indexOf(box.value);
    if (box.checked && i === -1) {
      var body = box.closest("li") && box.closest("li").querySelector(".answer-body");
      texts[box.value] = body ? body.textContent.replace(/\s+/g, " ").trim() : "";
      sequence.push(box.value);
    } else if (!box.checked && i !== -1) {
      sequence.splice(i, 1);
    }
    prefill();
    apply();
  });

  // After a save: start clean, and take away the error of an earlier attempt.
  document.addEventListener("htmx:afterRequest", function (evt) {
    var form = evt.detail.elt;
    if (!form || form.id !== "agenda-new") { return; }
    var error = $("agenda-new-error");
    // An error comes back as a #flash fragment that htmx swaps in, so htmx calls it
    // "successful": the status tells.
    var saved = evt.detail.successful && evt.detail.xhr && evt.detail.xhr.status < 400;
    if (saved) {
      sequence = [];
      texts = {};
      ["new-title", "new-description"].forEach(function (id) {
        var f = $(id);
        if (f) { f.removeAttribute("data-prefilled"); f.removeAttribute("aria-invalid"); }
      });
      if (error) { error.textContent = ""; error.hidden = true; }
      var flash = $("flash");
      if (flash && flash.classList.contains("flash-error")) { flash.textContent = ""; flash.className = "flash"; }
      apply();
    } else if (error && evt.detail.xhr) {
      var doc = new DOMParser().parseFromString(evt.detail.xhr.responseText || "", "text/html");
      error.textContent = doc.body.textContent.replace(/\s+/g, " ").trim();
      error.hidden = !error.textContent;
    }
  });

  // For other panels (groups): pick these answers, e.g. a whole group at once.
  window.gkConsole = {
    pick: function (ids, on) {
      var want = {};
      ids.forEach(function (id) { want[String(id)] = true; });
      Array.prototype.forEach.call(items(), function (li) {
        var box = boxOf(li);
        if (box && want[box.value]) { setPicked(box, on !== false); }
      });
    },
    refilter: apply
  };

  // "Kies deze antwoorden" on a group: tick all its answers, then go to the prefilled form.
  document.addEventListener("click", function (evt) {
    var button = evt.target && evt.target.closest && evt.target.closest("[data-pick-answers]");
    if (!button) { return; }
    var ids = button.getAttribute("data-pick-answers").split(" ").filter(Boolean);
    window.gkConsole.pick(ids);
    var title = $("new-title");
    if (title) { title.focus(); }
  });

  document.addEventListener("htmx:wsAfterMessage", apply);
  document.addEventListener("DOMContentLoaded", function () {
    var tools = $("answer-tools");
    if (tools) { tools.hidden = false; }
    read();
  });
})();
