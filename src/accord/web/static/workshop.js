// Live board: one Server-Sent Events stream per page; each message is this viewer's board.
// The browser's EventSource reconnects by itself and sends Last-Event-ID, so the server
// only resends the board when the workshop's event log moved on.
(function () {
  "use strict";
  var board = document.getElementById("board");
  var flash = document.getElementById("flash");
  if (!board) { return; }

  function countdown() {
    var timers = board.querySelectorAll("[data-remaining]");
    timers.forEach(function (el) {
      var left = Math.max(0, parseInt(el.getAttribute("data-remaining"), 10) - 1);
      el.setAttribute("data-remaining", String(left));
      var m = Math.floor(left / 60), s = left % 60;
      el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      if (left === 0) { el.classList.add("expired"); }
    });
  }
  setInterval(countdown, 1000);

  var stream = new EventSource(board.getAttribute("data-stream"));
  stream.addEventListener("board", function (message) {
    board.innerHTML = message.data;
    board.setAttribute("data-seq", message.lastEventId);
    if (window.htmx) { window.htmx.process(board); }
  });

  document.body.addEventListener("htmx:responseError", function (event) {
    flash.textContent = event.detail.xhr.responseText;
    flash.hidden = false;
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) { flash.hidden = true; event.detail.elt.reset && event.detail.elt.reset(); }
  });
})();
