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

(function () {
  "use strict";
  // A form that takes photos (the resolution's evidence): each photo is checked, shrunk and sent as it is picked,
  // showing how far it is (photo-upload.js), and the form carries its token. A phone's original, sent with the form
  // on a slow link, took minutes with nothing on the screen and was cut off by the server.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-photo-url]"), function (form) {
    var d = form.dataset;
    var picker = form.querySelector("input[type=file][data-max-side]");
    var list = form.querySelector(".picked-photos");
    var refusals = form.querySelector(".photo-refusals");
    if (!picker || !list || !refusals || !window.PhotoUpload) return;
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var maxPhotos = parseInt(picker.dataset.maxPhotos, 10) || 0;
    var held = PhotoUpload.holdSubmits(form, form.querySelector(".photo-wait-status"), d);
    var latestPick = 0;

    function refuse(message) {
      var line = document.createElement("div"); line.textContent = message; refusals.appendChild(line);
      picker.setAttribute("aria-invalid", "true");
      var described = (picker.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(refusals.id) === -1) { described.push(refusals.id); }
      picker.setAttribute("aria-describedby", described.join(" "));
    }

    // The photos this form will carry: those already in (a refused form's kept ones too) and those on their way.
    function photosCounted() {
      var kept = Array.prototype.filter.call(form.querySelectorAll("input[type=checkbox]"), function (box) {
        return box.name === d.photoTokensName && box.checked;
      });
      return kept.length + list.querySelectorAll(".photo-pending").length;
    }

    // As a refused form's kept photos are offered: ticked, untick to leave it out.
    function addPicked(result) {
      var li = document.createElement("li");
      li.className = "form-check picked-photo";
      var box = document.createElement("input");
      box.type = "checkbox"; box.className = "form-check-input"; box.checked = true;
      box.name = d.photoTokensName; box.value = result.token;
      box.id = form.id + "-picked-" + list.children.length;
      var label = document.createElement("label");
      label.className = "form-check-label"; label.htmlFor = box.id; label.textContent = "📷 " + result.name;
      li.append(box, label);
      list.appendChild(li);
    }

    picker.addEventListener("change", function () {
      var pick = ++latestPick;
      refusals.textContent = "";
      picker.removeAttribute("aria-invalid");
      Array.prototype.forEach.call(picker.files, function (file) {
        if (maxPhotos && photosCounted() >= maxPhotos) {
          if (refusals.textContent.indexOf(d.msgTooMany) === -1) { refuse(d.msgTooMany); }
          return;
        }
        var refusal = PhotoUpload.refusedAtOnce(file, picker, d);
        if (refusal) { refuse(refusal); return; }
        held.started();
        var maxSide = parseInt(picker.dataset.maxSide, 10) || 0;
        PhotoUpload.upload(file, { list: list, url: d.photoUrl, csrf: csrf, maxSide: maxSide, messages: d })
          .then(function (result) {
            // A refusal answering an earlier pick is old news; a photo lost on the way is said whichever pick.
            if (result.error && !result.lost && pick !== latestPick) { held.done(false); return; }
            if (result.error) { refuse(result.error); held.done(true); return; }
            addPicked(result);
            held.done(false);
          });
      });
      // Sent already: the form carries the tokens, never the originals again.
      picker.value = "";
    });
  });
})();

(function () {
  "use strict";
  // What the officer types into an action (a resolution, a reply, a reason, a note) stays in this tab until the
  // server has it (form-draft.js): offline at "Save", the browser's error page had taken it. One draft per ticket
  // and form (data-draft-id), forgotten once its action arrived (data-draft-arrived). Only the forms with a text box
  // keep one: an assignment or a priority is quicker chosen again than a stale one undone. Photos are not kept.
  if (!window.FormDraft) return;
  var forms = document.querySelectorAll("form[data-draft-id]");
  if (!forms.length) return;
  FormDraft.forgetArrived(forms[0].dataset.draftArrived);
  Array.prototype.forEach.call(forms, function (form) {
    if (!form.querySelector("textarea")) return;
    var draft = FormDraft.start(form);
    if (!draft.typed) return;
    // The text came back into a closed action further down the page: open it, and say why the text is there.
    var body = form.closest(".accordion-collapse");
    if (body && !body.classList.contains("show")) {
      body.classList.add("show");
      var button = document.querySelector('[data-bs-target="#' + body.id + '"]');
      if (button) { button.classList.remove("collapsed"); button.setAttribute("aria-expanded", "true"); }
    }
    var notice = form.querySelector(".draft-restored");
    if (!notice) return;
    notice.classList.remove("d-none");
    if (draft.sent) { notice.querySelector(".draft-not-saved").classList.remove("d-none"); }
  });
})();
