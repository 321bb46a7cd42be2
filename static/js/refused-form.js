/* A form the server sent back refused (marked data-refused) takes the focus when the page loads: its first invalid
   field (aria-invalid, tied by aria-describedby to the message under it), else its own message (role="alert",
   tabindex="-1") when the refusal is about the form as a whole. Without it the answer came back scrolled to the top
   with the focus on the page: a screen reader heard nothing, and on a phone the message was below the fold.
   Focusing scrolls the field into view; a screen reader reads its label and then the message. Only the first
   refused form of the page: one page answers one form. A page that includes this script inside a form only when
   that form was refused (the account forms, account/_form_fields.html) needs no mark: the form around it is the one. */
(function () {
  "use strict";
  var script = document.currentScript;
  function focusRefused() {
    var form = document.querySelector("form[data-refused]") || (script && script.closest("form"));
    if (!form) { return; }
    var target = form.querySelector("[aria-invalid=true]") || form.querySelector("[role=alert][tabindex='-1']");
    if (target && document.activeElement !== target) { target.focus(); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusRefused);
  } else {
    focusRefused();
  }
})();
