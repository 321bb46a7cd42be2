/* Keeps what a visitor typed into a long form in this tab (sessionStorage) until the server has it, so switching the
   page's language, reloading, or a connection lost while sending does not empty the form. Only a fresh (unbound)
   form is refilled: a form the server sent back with errors already holds what was sent. Nothing leaves the
   browser; the draft goes with the tab, and "Start over" forgets it.

   Sending does not forget the draft: the browser's own error page (offline) would then have taken it all. A form
   with data-draft-sent-key="<field>" keeps that field's value (the form's one-time key) in the draft, and
   data-draft-arrived="<key> <key>…" names the last form keys the server received from this browser: a draft with one
   of them arrived and is forgotten instead of refilled (#draft-arrived, if there, is shown). Refilled, a draft brings its
   key back, so sending it again cannot file it twice.

   A page with several such forms, or one drawn at more than one address (the staff ticket page, sent back refused
   from its action's address), names each form's draft with data-draft-id="<name>" instead of its address and id.

   var draft = FormDraft.start(form);           // refills the plain fields now (before other scripts read them)
   draft.extra("photos", read, write);          // state the fields do not hold (read() -> JSON-able, write(value))
   draft.save();                                // after a change the form's events do not announce
   draft.forget();                              // the visitor discarded it (the page then goes elsewhere)
   draft.restored, draft.typed, draft.sent      // refilled; with something typed; sent before, with no word it arrived
   FormDraft.forgetArrived("<key> <key>…");     // drafts of forms not on this page whose key arrived        */
(function () {
  "use strict";

  var STORAGE_PREFIX = "form-draft:";

  function skipped(el) {
    if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken") { return true; }
    if (["file", "password", "submit", "button", "reset"].indexOf(el.type) !== -1) { return true; }
    return !!el.closest("[data-draft-skip]");
  }

  function readFields(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (skipped(el)) { return; }
      if (el.type === "radio") { if (el.checked) { values[el.name] = el.value; } return; }
      if (el.type === "checkbox") { (values[el.name] = values[el.name] || []); if (el.checked) { values[el.name].push(el.value); } return; }
      if (el.multiple) { values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; }); return; }
      values[el.name] = el.value;
    });
    return values;
  }

  /* Sets the fields present now; returns the names still missing (fields a later partial will bring). */
  function writeFields(form, values) {
    var missing = {};
    Object.keys(values).forEach(function (name) {
      var fields = Array.prototype.filter.call(form.elements, function (el) { return el.name === name && !skipped(el); });
      if (!fields.length) { missing[name] = values[name]; return; }
      var value = values[name];
      fields.forEach(function (el) {
        if (el.type === "radio") { el.checked = el.value === value; }
        else if (el.type === "checkbox") { el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1; }
        else if (el.multiple && Array.isArray(value)) { Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) !== -1; }); }
        else if (typeof value === "string") { el.value = value; }
      });
    });
    return missing;
  }

  function start(form) {
    var key = STORAGE_PREFIX + (form.dataset.draftId || location.pathname + "#" + form.id);
    var sentKeyField = form.dataset.draftSentKey ? form.elements[form.dataset.draftSentKey] : null;
    var extras = {};
    var stored = null;
    try { stored = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { stored = null; }
    // data-draft-owner names who is signed in ("" for a visitor): a draft written while someone was signed in is
    // theirs alone, so after they sign out (a family phone, a kelurahan office's computer) the next person starts
    // empty. A visitor's draft survives signing in: it is the same person.
    var owner = form.dataset.draftOwner || "";
    if (stored && stored.owner && stored.owner !== owner) { forget(); stored = null; }
    if (stored && stored.key && (form.dataset.draftArrived || "").split(" ").indexOf(stored.key) !== -1) {
      // Filed, whether or not its answer reached this page: the page says where it is instead of refilling it.
      var arrivedKey = stored.key;
      forget(); stored = null;
      var arrived = document.getElementById("draft-arrived");
      if (arrived) {
        arrived.classList.remove("d-none");
        // Which report it became, for a visitor whose answer never came (the email has it too).
        arrived.querySelectorAll("[data-draft-key]").forEach(function (line) {
          if (line.dataset.draftKey === arrivedKey) { line.classList.remove("d-none"); }
        });
      }
    }
    var fresh = form.hasAttribute("data-draft-fresh");
    var pending = {};
    var restored = false;
    var typed = false;  // the draft holds something the visitor typed or added, not just the form as it came
    if (fresh && stored && stored.fields) {
      var initial = readFields(form);
      typed = Object.keys(stored.fields).some(function (name) {
        return JSON.stringify(stored.fields[name]) !== JSON.stringify(initial[name]);
      }) || Object.keys(stored.extras || {}).some(function (name) {
        var value = stored.extras[name];
        return Array.isArray(value) ? value.length > 0 : !!value;
      });
      pending = writeFields(form, stored.fields);
      restored = true;
      if (stored.key && sentKeyField) { sentKeyField.value = stored.key; }
    }
    // Sent at least once (from this page or an earlier one) with no word yet that it arrived.
    var sent = restored && !!stored.sent;

    function save() {
      var draft = { fields: readFields(form), extras: {}, owner: owner };
      if (sentKeyField) { draft.key = sentKeyField.value; draft.sent = sent; }
      Object.keys(extras).forEach(function (name) { draft.extras[name] = extras[name].read(); });
      try { sessionStorage.setItem(key, JSON.stringify(draft)); } catch (e) { /* storage full or off: no draft */ }
    }

    function forget() { try { sessionStorage.removeItem(key); } catch (e) { /* nothing kept */ } }

    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) { return; }  // held by the page's own script: not sent
      // Without a key to prove its arrival, sent is done: the server files it or sends the form back filled in.
      if (sentKeyField) { sent = true; save(); } else { forget(); }
    });
    // Questions a partial brings in later (a service's extra questions) get their answers when they arrive.
    document.body.addEventListener("htmx:afterSwap", function () {
      if (Object.keys(pending).length) { pending = writeFields(form, pending); }
    });

    var notice = document.getElementById("draft-restored");
    if (notice) {
      if (restored && typed) { notice.classList.remove("d-none"); }
      var maybeSent = document.getElementById("draft-maybe-sent");
      if (maybeSent && sent) { maybeSent.classList.remove("d-none"); }
      var clear = document.getElementById("draft-clear");
      if (clear) { clear.addEventListener("click", function () { forget(); location.replace(location.pathname + location.search); }); }
    }
    if (!fresh) { save(); }  // a form sent back with errors: its content is the draft from now on

    return {
      restored: restored,
      typed: restored && typed,
      sent: sent,
      save: save,
      forget: forget,
      extra: function (name, read, write) {
        extras[name] = { read: read };
        if (restored && stored.extras && stored.extras[name] !== undefined) { write(stored.extras[name]); }
        save();
      }
    };
  }

  /* A form that is no longer on the page (a ticket's resolution, once it is resolved) never starts to forget its
     draft: forget every draft of this tab whose key arrived, wherever its form is. */
  function forgetArrived(arrivedKeys) {
    var arrived = (arrivedKeys || "").split(" ").filter(Boolean);
    if (!arrived.length) { return; }
    try {
      for (var i = sessionStorage.length - 1; i >= 0; i--) {
        var name = sessionStorage.key(i);
        if (name.indexOf(STORAGE_PREFIX) !== 0) { continue; }
        var stored = null;
        try { stored = JSON.parse(sessionStorage.getItem(name)); } catch (e) { stored = null; }
        if (stored && stored.key && arrived.indexOf(stored.key) !== -1) { sessionStorage.removeItem(name); }
      }
    } catch (e) { /* storage off: nothing kept */ }
  }

  window.FormDraft = { start: start, forgetArrived: forgetArrived };
})();
