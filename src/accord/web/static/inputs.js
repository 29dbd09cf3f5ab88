// Stakeholder form and dashboard helpers. Everything here only improves a page that works
// without it: rankings are plain number fields, weight methods plain fieldsets, and the
// consistency ratio is also computed on save. (The CSP forbids inline scripts.)
(function () {
  "use strict";

  // --- ranking lists: drag, arrow buttons and Alt+Arrow keys write the position fields ---
  function renumber(list) {
    var items = list.querySelectorAll(":scope > li");
    items.forEach(function (li, i) {
      li.querySelector("input[type=number]").value = String(i + 1);
    });
  }
  function announce(list, li) {
    var status = document.getElementById(list.getAttribute("data-status"));
    if (!status) { return; }
    var items = Array.prototype.slice.call(list.querySelectorAll(":scope > li"));
    status.textContent = li.getAttribute("data-name") + " is now number " +
      (items.indexOf(li) + 1) + " of " + items.length;
  }
  function move(list, li, up) {
    var other = up ? li.previousElementSibling : li.nextElementSibling;
    if (!other) { return false; }
    if (up) { list.insertBefore(li, other); } else { list.insertBefore(other, li); }
    renumber(list);
    announce(list, li);
    return true;
  }
  document.querySelectorAll("[data-sortable]").forEach(function (list) {
    var dragged = null;
    list.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
    list.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-move]");
      if (!button) { return; }
      move(list, button.closest("li"), button.getAttribute("data-move") === "up");
      button.focus();  // keep the keyboard user on the item they are moving
    });
    list.addEventListener("keydown", function (event) {
      if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) { return; }
      var li = event.target.closest("li");
      if (li && move(list, li, event.key === "ArrowUp")) { event.preventDefault(); event.target.focus(); }
    });
    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("li");
      if (dragged) { dragged.classList.add("dragging"); event.dataTransfer.effectAllowed = "move"; }
    });
    list.addEventListener("dragover", function (event) {
      var over = event.target.closest("li");
      if (!dragged || !over || over === dragged || over.parentNode !== list) { return; }
      event.preventDefault();
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? over.nextElementSibling : over);
    });
    list.addEventListener("dragend", function () {
      if (!dragged) { return; }
      dragged.classList.remove("dragging");
      renumber(list);
      announce(list, dragged);
      dragged = null;
    });
  });

  // --- weight methods: show the chosen method's fieldset only ---
  var radios = document.querySelectorAll("input[name='weights.method']");
  function showMethod() {
    var chosen = document.querySelector("input[name='weights.method']:checked");
    document.querySelectorAll("fieldset[data-method]").forEach(function (set) {
      set.hidden = !!chosen && set.getAttribute("data-method") !== chosen.value;
    });
  }
  radios.forEach(function (r) { r.addEventListener("change", showMethod); });
  if (radios.length) { showMethod(); }

  // --- 100 points: the running total (a sum, not an engine formula) ---
  var total = document.getElementById("points-total");
  function sumPoints() {
    var sum = 0;
    document.querySelectorAll("input[data-points]").forEach(function (el) {
      var v = parseFloat(el.value);
      if (!isNaN(v)) { sum += v; }
    });
    var left = Math.round((100 - sum) * 1000) / 1000;
    total.textContent = "Total " + Math.round(sum * 1000) / 1000 + " of 100" +
      (left === 0 ? ": ready." : left > 0 ? " (" + left + " left to give)." : " (" + (-left) + " too many).");
  }
  if (total) {
    document.querySelectorAll("input[data-points]").forEach(function (el) {
      el.addEventListener("input", sumPoints);
    });
    sumPoints();
  }

  // --- copy buttons (reminder texts, links) ---
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var status = document.getElementById(button.getAttribute("data-copy") + "-status");
      var text = source.value !== undefined ? source.value : source.textContent;
      function done(ok) { if (status) { status.textContent = ok ? "Copied." : "Select the text and copy it."; } }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () {
          source.select && source.select(); done(false);
        });
      } else {
        if (source.select) { source.select(); }
        done(document.execCommand && document.execCommand("copy"));
      }
    });
  });
})();
