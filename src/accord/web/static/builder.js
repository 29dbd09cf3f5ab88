// Case builder, progressive enhancement: warn before leaving a form with unsaved changes.
// The forms work without it; the Content-Security-Policy allows only scripts from /static.
(function () {
  "use strict";
  document.querySelectorAll("form[data-builder]").forEach(function (form) {
    var changed = form.hasAttribute("data-unsaved");
    form.addEventListener("input", function () { changed = true; });
    form.addEventListener("submit", function () { changed = false; });
    window.addEventListener("beforeunload", function (event) {
      if (changed) { event.preventDefault(); event.returnValue = ""; }
    });
  });
})();
