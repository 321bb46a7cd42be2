// Staff ticket page: a canned response fills the reply box with its text, already filled in for this ticket; a
// refused action brings the user to what was refused.
(function () {
  "use strict";
  var source = document.getElementById("canned-texts");
  var select = document.getElementById("id_reply-canned_response");
  var box = document.getElementById("id_reply-message");
  if (!source || !select || !box) return;
  var texts = JSON.parse(source.textContent);
  select.addEventListener("change", function () {
    if (texts[select.value] !== undefined) box.value = texts[select.value];
  });
})();

(function () {
  "use strict";
  // The refused form is open further down the page (on a phone some 2,000 px below the alert at the top): focus
  // the first field it names, or the form's first control, so the user lands on it and a screen reader reads it.
  var refused = document.querySelector("form[data-refused]");
  if (!refused) return;
  var error = refused.querySelector(".field-error");
  var target = (error && error.parentElement.querySelector("input, select, textarea")) ||
    refused.querySelector("input:not([type=hidden]), select, textarea, button");
  if (!target) return;
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: "center" });
})();
