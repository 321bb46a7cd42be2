/* A form is sent once per click on "Send": a second click while the page waits for the answer (a slow connection,
   an impatient double click) is ignored instead of sending the form again and answering with a confusing second
   page ("only a resolved report can be reopened" after the first click reopened it). The server folds or refuses
   repeats too; this spares people the second answer. Forms that htmx or another script sends themselves are left
   to them (they cancel the browser's own sending first). */
(function () {
  "use strict";
  // An answer that leaves the page where it is (a file from a form not marked data-download): after this long the
  // form can be sent again.
  var RELEASE_MS = 10000;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.getAttribute("method") || "").toLowerCase() !== "post") { return; }
    // A download (a button or form marked data-download) is not held back: the page stays, and a second click
    // (the other format, or the same file again) was ignored for RELEASE_MS without a word.
    var submitter = event.submitter;
    if (form.hasAttribute("data-download") || (submitter && submitter.hasAttribute("data-download"))) { return; }
    if (form.hasAttribute("data-sending")) { event.preventDefault(); return; }
    form.setAttribute("data-sending", "");
    window.setTimeout(function () { form.removeAttribute("data-sending"); }, RELEASE_MS);
  });
  // Back to a page kept in the browser's memory: its forms may be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-sending]"), function (form) {
      form.removeAttribute("data-sending");
    });
  });
})();
