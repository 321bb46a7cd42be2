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
  var fields = refused.querySelectorAll("input:not([type=hidden]), select, textarea");
  // A refusal of the whole form is about its fields together (a reply or a canned response, and neither was
  // given): each is marked refused and described by it, as a field's own message does, so the focused one says why.
  var formError = refused.querySelector(".form-error");
  if (formError && !error) {
    fields.forEach(function (field) {
      field.setAttribute("aria-invalid", "true");
      var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(formError.id) === -1) { described.unshift(formError.id); }
      field.setAttribute("aria-describedby", described.join(" "));
    });
  }
  var target = (error && error.parentElement.querySelector("input, select, textarea")) ||
    fields[0] || refused.querySelector("button");
  if (!target) return;
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: "center" });
})();
