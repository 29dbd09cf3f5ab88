// Live board: one Server-Sent Events stream per page; each message is what changed on it.
// The browser's EventSource reconnects by itself and sends Last-Event-ID, so the server
// sends nothing again unless the workshop's event log moved on.
(function () {
  "use strict";
  var board = document.getElementById("board");
  var flash = document.getElementById("flash");
  if (!board) { return; }

  // The countdown ticks from when the board arrived (the server's remaining seconds), so a
  // new board simply restarts it from the server's figure. Screen readers hear it only at
  // a few thresholds, through one polite live region outside the board, never every second.
  var announce = document.getElementById("timer-announce");
  var THRESHOLDS = [300, 120, 60, 30, 10];
  var arrived = Date.now(), spoken = {};
  function words(seconds) {
    if (seconds >= 60) { var m = Math.round(seconds / 60); return m + (m === 1 ? " minute" : " minutes"); }
    return seconds + " seconds";
  }
  function say(text) {
    if (announce) { announce.textContent = text; }
  }
  function countdown() {
    var timers = board.querySelectorAll("[data-remaining]");
    timers.forEach(function (el) {
      var start = parseInt(el.getAttribute("data-remaining"), 10);
      var left = Math.max(0, start - Math.floor((Date.now() - arrived) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      var phase = el.getAttribute("data-phase") || "this phase";
      THRESHOLDS.forEach(function (mark) {
        var key = phase + "|" + mark;
        // Announce a threshold once, when the count crosses it (not one already passed).
        if (left <= mark && start > mark && !spoken[key]) {
          spoken[key] = true;
          say(words(mark) + " left for " + phase);
        }
      });
      if (left === 0) { el.classList.add("expired"); }
    });
  }
  setInterval(countdown, 1000);
  // "Time is up" is said once when it appears, not again with each later board.
  var lastUp = null;
  function announceTimeUp() {
    var up = board.querySelector("[data-time-up]"), text = up ? up.textContent : null;
    if (text && text !== lastUp) { say(text); }
    lastUp = text;
  }

  // A new board replaces the old one, but what someone is typing must survive it: keep
  // every field the user changed (keyed by its form's command and its name) and the focus.
  function fieldKey(el) {
    var form = el.form, kind = form && form.querySelector("input[name=kind]");
    var key = (kind ? kind.value : "") + "|" + el.name;
    if (el.type === "checkbox" || el.type === "radio") { key += "|" + el.value; }
    if (form && form.querySelector("input[name=item],input[name=idea],input[name=action],input[name=parked_id]")) {
      var id = form.querySelector("input[name=item],input[name=idea],input[name=action],input[name=parked_id]");
      key += "|" + id.value;
    }
    return key;
  }
  function edited(el) {
    if (el.type === "checkbox" || el.type === "radio") { return el.checked !== el.defaultChecked; }
    if (el.tagName === "SELECT") {
      return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return el.value !== el.defaultValue;
  }
  function keepEdits() {
    var kept = {}, focus = null;
    board.querySelectorAll("input:not([type=hidden]),textarea,select").forEach(function (el) {
      // A form in flight: its sent values are the pending submission, not typing to keep;
      // anything typed into it after sending still is.
      var sent = el.form && el.form.sentValues;
      if (sent && sent[fieldKey(el)] === ((el.type === "checkbox" || el.type === "radio") ? el.checked : el.value)) { return; }
      if (edited(el)) { kept[fieldKey(el)] = (el.type === "checkbox" || el.type === "radio") ? el.checked : el.value; }
      if (el === document.activeElement) {
        focus = { key: fieldKey(el), start: el.selectionStart, end: el.selectionEnd };
      }
    });
    return { kept: kept, focus: focus };
  }
  function restoreEdits(saved) {
    board.querySelectorAll("input:not([type=hidden]),textarea,select").forEach(function (el) {
      var key = fieldKey(el);
      if (Object.prototype.hasOwnProperty.call(saved.kept, key)) {
        if (el.type === "checkbox" || el.type === "radio") { el.checked = saved.kept[key]; }
        else { el.value = saved.kept[key]; }
      }
      if (saved.focus && saved.focus.key === key) {
        el.focus();
        try { el.setSelectionRange(saved.focus.start, saved.focus.end); } catch (e) { /* not text */ }
      }
    });
  }

  // A message holds what changed for this viewer (accord.web.boards): a new frame (their
  // own part of the board, with empty slots) and/or parts every viewer shares, each whole
  // or, for a keyed part, as the entries that changed.  Each part lives in one element (its
  // "holder") that a new frame adopts into its slot, so a frame never loses a part and a
  // part never needs the frame again.
  var holders = {};
  var me = board.getAttribute("data-viewer");
  function adopt(root) {
    root.querySelectorAll("[data-part]").forEach(function (slot) {
      var name = slot.getAttribute("data-part");
      if (holders[name] && holders[name] !== slot) { slot.replaceWith(holders[name]); }
      else { holders[name] = slot; }
    });
  }
  function holder(name) {
    if (!holders[name]) { holders[name] = document.createElement("div"); holders[name].setAttribute("data-part", name); }
    return holders[name];
  }
  function markMe() {
    var presence = holders.presence, mine = presence && me && presence.querySelector('[data-key="' + me + '"]');
    if (mine && !mine.querySelector(".you") && mine.textContent.indexOf("(you)") < 0) {
      var you = document.createElement("span");
      you.className = "you";
      you.textContent = " (you)";
      mine.insertBefore(you, mine.firstChild ? mine.firstChild.nextSibling : null);
    }
  }
  function applyPart(update) {
    var target = holder(update.getAttribute("data-part"));
    if (!update.hasAttribute("data-changes")) {
      target.replaceChildren(update.content.cloneNode(true));
      return;
    }
    (update.getAttribute("data-remove") || "").split(" ").forEach(function (key) {
      var gone = key && target.querySelector(':scope > [data-key="' + key + '"]');
      if (gone) { gone.remove(); }
    });
    Array.prototype.forEach.call(update.content.children, function (entry) {
      var key = entry.getAttribute("data-key");
      var old = target.querySelector(':scope > [data-key="' + key + '"]');
      if (old) { old.replaceWith(entry.cloneNode(true)); } else { target.appendChild(entry.cloneNode(true)); }
    });
  }
  adopt(board);

  var stream = new EventSource(board.getAttribute("data-stream"));
  stream.addEventListener("board", function (message) {
    var parsed = document.createElement("template");
    parsed.innerHTML = message.data;
    var frame = parsed.content.querySelector("template[data-frame]");
    if (frame) {
      var saved = keepEdits();
      var fresh = frame.content.cloneNode(true);
      board.replaceChildren(fresh);
      adopt(board);
      restoreEdits(saved);
      arrived = Date.now();
      announceTimeUp();
      if (window.htmx) { window.htmx.process(board); }
    }
    parsed.content.querySelectorAll("template[data-part]").forEach(applyPart);
    markMe();
    board.setAttribute("data-seq", message.lastEventId);
  });

  // Remember what a form sent, and forget it once the answer came: a "sent" mark that
  // outlived its request made every later edit in that form look already submitted, so the
  // next board update (a timer, someone else's idea) threw half-typed text away.
  function sentValues(form) {
    var values = {};
    form.querySelectorAll("input:not([type=hidden]),textarea,select").forEach(function (el) {
      values[fieldKey(el)] = (el.type === "checkbox" || el.type === "radio") ? el.checked : el.value;
    });
    return values;
  }
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form.tagName === "FORM") { form.sentValues = sentValues(form); }
  });

  // One idempotency key per submission: a request that got no answer (time-out, dropped
  // connection, 5xx) keeps its key, so sending the same values again is a retry the server
  // answers without storing the command twice; changed values or a judged answer get a new key.
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);  // randomUUID needs a secure context; this does not
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  // Kept by the form's command, not on the element: a board update replaces every form.
  var pending = {};
  function formId(form) {
    var kind = form.querySelector("input[name=kind]");
    var id = form.querySelector("input[name=item],input[name=idea],input[name=action],input[name=parked_id]");
    return (kind ? kind.value : "") + "|" + (id ? id.value : "");
  }
  document.body.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (form.tagName !== "FORM") { return; }
    var values = JSON.stringify(sentValues(form)), last = pending[formId(form)];
    if (!last || last.values !== values) {
      last = pending[formId(form)] = { key: newKey(), values: values };
    }
    event.detail.parameters.command_key = last.key;
  });
  function answered(event) {
    var form = event.detail.elt, status = event.detail.xhr ? event.detail.xhr.status : 0;
    // 2xx and 4xx are the server's judgement of this submission; only then is its key spent.
    if (form.tagName === "FORM" && status >= 200 && status < 500) { delete pending[formId(form)]; }
  }
  document.body.addEventListener("htmx:afterRequest", answered);
  document.body.addEventListener("htmx:afterRequest", function (event) {
    // Only the values that were sent are cleared: text typed while the request was in
    // flight stays in the field.
    var form = event.detail.elt, sent = form.sentValues;
    form.sentValues = null;
    if (!event.detail.successful || !sent || form.tagName !== "FORM") { return; }
    flash.hidden = true;
    form.querySelectorAll("input:not([type=hidden]),textarea,select").forEach(function (el) {
      var key = fieldKey(el);
      if (el.type === "checkbox" || el.type === "radio") {
        if (sent[key] === el.checked) { el.checked = el.defaultChecked; }
      } else if (el.tagName !== "SELECT" && sent[key] === el.value) { el.value = el.defaultValue; }
    });
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    flash.textContent = event.detail.xhr.responseText;
    flash.hidden = false;
  });
})();
