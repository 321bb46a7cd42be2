// Staff ticket page: a canned response fills the reply box with its text, already filled in for this ticket.
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
