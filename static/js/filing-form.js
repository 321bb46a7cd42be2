/* The filing form: service search, map pin (tap / my location / photo GPS), kelurahan from the pin,
   the service's extra questions and "similar reports" near the pin or in the chosen kelurahan (htmx partials),
   photos checked on pick. */
(function () {
  "use strict";
  var form = document.getElementById("filing-form");
  if (!form) { return; }
  var d = form.dataset;
  // A form sent back with errors: the summary at the top (a link to each refused field) takes the focus, so a
  // screen reader reads it and the keyboard starts from it.
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
  // First: it refills the fields (the pin's lat/lng included) before the code below reads them.
  var draft = window.FormDraft ? window.FormDraft.start(form) : null;
  var latInput = form.querySelector("input[name=lat]");
  var lngInput = form.querySelector("input[name=lng]");
  var areaSelect = document.getElementById("id_area");
  var pinStatus = document.getElementById("pin-status");
  var clearButton = document.getElementById("clear-pin");
  var photoButton = document.getElementById("use-photo-location");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var photoGps = null;

  /* --- service catalogue search --- */
  var search = document.getElementById("service-search");
  var searchCount = document.getElementById("service-search-count");
  var countTimer = null;
  function normalise(text) { return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }
  /* What the search left, in words for a screen reader (the list only hides the others). Said once the typing
     pauses, not at every letter. The page gives the phrase for one and for more (Indonesian has one form). */
  function sayHowManyMatch(words, count) {
    window.clearTimeout(countTimer);
    countTimer = window.setTimeout(function () {
      if (!words.length) { searchCount.textContent = ""; return; }
      var phrase = count === 0 ? d.msgNoService : (count === 1 ? d.msgServicesOne : d.msgServicesOther);
      searchCount.textContent = phrase.replace("{n}", count);
    }, 400);
  }
  search.addEventListener("input", function () {
    var words = normalise(search.value).split(/\s+/).filter(Boolean);
    var unsure = document.getElementById("service-unsure").closest(".service-item");
    var count = 0;
    form.querySelectorAll(".service-item").forEach(function (item) {
      var haystack = normalise(item.dataset.search);
      var checked = item.querySelector("input").checked;
      var found = words.every(function (w) { return haystack.indexOf(w) !== -1; });
      // The chosen service stays in sight, but is counted only when the words match it too.
      item.classList.toggle("d-none", !(checked || found));
      if (found && item !== unsure) { count += 1; }
    });
    // Nothing found: "Not sure" stays, the way on for a problem the catalogue does not name in those words.
    if (!count) { unsure.classList.remove("d-none"); }
    form.querySelectorAll(".service-group").forEach(function (group) {
      group.classList.toggle("d-none", !group.querySelector(".service-item:not(.d-none)"));
    });
    sayHowManyMatch(words, count);
  });
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); } });

  function selectedService() {
    var checked = form.querySelector("input[name=service]:checked");
    return checked ? checked.value : "";
  }

  function refreshAttributes() {
    var service = selectedService();
    // source: each kind of request waits in its own queue. Without one, htmx queues both kinds on the page's body
    // and keeps only the newest waiting request: a second service picked while the first one's questions loaded
    // dropped its questions (its similar reports came after them), and the first service's stayed on the form.
    htmx.ajax("GET", d.attributesUrl + "?service=" + encodeURIComponent(service),
      { source: "#attributes", target: "#attributes", swap: "innerHTML" });
  }

  /* Reports of the chosen service near the pin; with no pin, in the kelurahan chosen from the list (a caller on the
     phone, a citizen who does not use the map). Asked again whenever the service, the pin or the kelurahan changes. */
  function refreshSimilar() {
    var service = selectedService();
    var target = document.getElementById("similar");
    var kelurahan = areaSelect ? areaSelect.value : "";
    if (!service || service === "unsure" || (!latInput.value && !kelurahan)) { target.innerHTML = ""; return; }
    var url = d.similarUrl + "?service=" + encodeURIComponent(service) +
      (latInput.value ? "&lat=" + latInput.value + "&lng=" + lngInput.value : "&area=" + encodeURIComponent(kelurahan));
    // settle:0: htmx wires new content's buttons ("Me too"'s hx-post) only once it settles, by default on a timer
    // after the swap; until then a "Me too" already on screen did nothing when tapped, and a phone busy drawing the
    // page runs that timer late. Wired in the swap itself, the button works as soon as it can be seen.
    htmx.ajax("GET", url, { source: "#similar", target: "#similar", swap: "innerHTML settle:0" });
  }

  /* The choice of service settles before anything is asked or announced about it: a keyboard user arrows through
     the list, and every arrow press picks a radio (and fires "change"). The service's questions and similar reports
     are fetched, and the emergency notice considers the service, once the choice has stayed the same for a moment
     (SETTLE_MS), or at once when the focus leaves the list or the choice was tapped or clicked: one request of each
     kind and one announcement for the service chosen, none for those only passed over (the accessibility walk: 31
     requests, and a fire warning raised on the way to "street light"). */
  var SETTLE_MS = 700;
  var serviceList = form.querySelector(".service-list");
  var settledService = selectedService();
  var settleTimer = null;
  var pointerAt = 0;  // when a finger or the mouse last pressed in the list
  var onServiceSettled = [];
  function settleService() {
    window.clearTimeout(settleTimer);
    settleTimer = null;
    var service = selectedService();
    if (service === settledService) { return; }
    settledService = service;
    onServiceSettled.forEach(function (callback) { callback(); });
  }
  serviceList.addEventListener("pointerdown", function () { pointerAt = Date.now(); });
  serviceList.addEventListener("focusout", function (e) {
    if (!e.relatedTarget || !serviceList.contains(e.relatedTarget)) { settleService(); }
  });
  form.querySelectorAll("input[name=service]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      window.clearTimeout(settleTimer);
      if (Date.now() - pointerAt < 1000) { settleService(); return; }
      settleTimer = window.setTimeout(settleService, SETTLE_MS);
    });
  });
  onServiceSettled.push(function () { refreshAttributes(); refreshSimilar(); });

  /* --- privacy: the chosen service's default (confidential for a person's health, welfare or civil records) is
     ticked until the citizen ticks a choice themselves; privacy_chosen remembers that they did (sent back with a
     refused form, kept in the draft), so choosing another service never undoes their choice. --- */
  var privacyChosen = document.getElementById("privacy-chosen");
  function tickServiceDefault() {
    var service = form.querySelector("input[name=service]:checked");
    if (!service || privacyChosen.value) { return; }
    var wanted = service.dataset.defaultPrivacy || "public";
    form.querySelectorAll("input[name=privacy]").forEach(function (radio) { radio.checked = radio.value === wanted; });
  }
  form.querySelectorAll("input[name=privacy]").forEach(function (radio) {
    // Before the draft's own listener on the form saves the change.
    radio.addEventListener("change", function () { privacyChosen.value = "1"; });
  });
  form.querySelectorAll("input[name=service]").forEach(function (radio) {
    radio.addEventListener("change", tickServiceDefault);
  });
  tickServiceDefault();  // a service chosen by the link, a refused form or the draft

  /* "Show my name" is for a public report only: an anonymous or confidential one never shows it (the server ignores
     it), so there it is hidden and not sent. Its tick stays as it was, for when the citizen goes back to public. */
  var showName = document.getElementById("id_show_name");
  function showNameForPublicOnly() {
    var chosen = form.querySelector("input[name=privacy]:checked");
    var hide = !!chosen && chosen.value !== "public";
    showName.disabled = hide;
    showName.closest(".form-check").classList.toggle("d-none", hide);
  }
  form.querySelectorAll("input[name=privacy], input[name=service]").forEach(function (radio) {
    // After tickServiceDefault: a service's default can tick another privacy.
    radio.addEventListener("change", showNameForPublicOnly);
  });
  showNameForPublicOnly();

  /* --- emergency notice: the page lists the services and the words that suggest a danger right now
     (complaints/emergency.py). A settled choice of such a service, or such a word typed, raises the notice at the
     top: red, kept in sight while the citizen scrolls on where the screen is tall enough for it not to hide the
     field being filled (.emergency-sticky, css/filing-form.css; "Understood" lets it scroll away again), and its
     empty role="alert" box gets its sentence, so a screen reader says it once. It is lowered again when the settled
     service is none of those and no such word is typed (any more); raised again, it is shown but not said again. */
  var emergency = document.getElementById("emergency-notice");
  if (emergency) {
    var readList = function (id) { return JSON.parse(document.getElementById(id).textContent); };
    var emergencyServices = readList("emergency-services");
    var escapeForPattern = function (text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); };
    // A word counts at the start of a word of the text: "api" in "apinya", not in "tapi" or "sapi".
    var dangerPattern = new RegExp("(^|[^a-z0-9])(" + readList("emergency-danger-words").map(function (word) {
      return escapeForPattern(normalise(word));
    }).join("|") + ")");
    var emergencyAlert = document.getElementById("emergency-alert");
    var understood = document.getElementById("emergency-understood");
    var understoodClicked = false;
    var typedFields = [document.getElementById("id_title"), document.getElementById("id_description")];
    var soundsLikeAnEmergency = function () {
      // The settled service, not one the arrow keys only pass over.
      var service = settledService && form.querySelector("input[name=service][value='" + settledService + "']");
      if (service && emergencyServices.indexOf(service.dataset.code) !== -1) { return true; }
      var typed = typedFields.map(function (field) { return field.value; }).join(" ");
      return dangerPattern.test(normalise(typed).replace(/\s+/g, " "));
    };
    var raiseEmergencyNotice = function () {
      if (emergency.classList.contains("emergency-raised")) { return; }
      emergency.classList.remove("alert-warning");
      emergency.classList.add("emergency-raised", "alert-danger", "shadow");
      if (!understoodClicked) {
        emergency.classList.add("emergency-sticky");
        understood.classList.remove("d-none");
      }
      emergencyAlert.classList.remove("d-none");
      // Said once: the box is filled the first time only. Lowered, it loses its role, so that showing it again
      // does not make a screen reader say it again.
      if (!emergencyAlert.textContent) { emergencyAlert.textContent = emergencyAlert.dataset.msg; }
    };
    var lowerEmergencyNotice = function () {
      if (!emergency.classList.contains("emergency-raised")) { return; }
      emergency.classList.remove("emergency-raised", "alert-danger", "shadow", "emergency-sticky");
      emergency.classList.add("alert-warning");
      understood.classList.add("d-none");
      emergencyAlert.removeAttribute("role");
      emergencyAlert.classList.add("d-none");
    };
    var updateEmergencyNotice = function () {
      if (soundsLikeAnEmergency()) { raiseEmergencyNotice(); } else { lowerEmergencyNotice(); }
    };
    understood.addEventListener("click", function () {
      understoodClicked = true;
      emergency.classList.remove("emergency-sticky", "shadow");
      understood.classList.add("d-none");
    });
    typedFields.forEach(function (field) { field.addEventListener("input", updateEmergencyNotice); });
    onServiceSettled.push(updateEmergencyNotice);
    // A form sent back with errors, or a draft put back above: what it already holds counts too.
    updateEmergencyNotice();
  }

  /* "Me too" on a similar report sends the form's email field (hx-params) and, for staff, how the citizen contacted
     them: filing for a citizen who phoned or came to the office, it is that citizen's "me too", confirmed from the
     citizen's address (views.support); "I report for myself" makes it the staff member's own. */
  var channelSelect = document.getElementById("id_channel");
  document.body.addEventListener("htmx:configRequest", function (e) {
    if (channelSelect && e.detail.elt.classList.contains("me-too")) {
      e.detail.parameters.channel = channelSelect.value;
    }
  });

  /* "Me too" on a similar report answers 400 with what is missing (a guest's email address): htmx would drop it as
     an error, but it belongs next to the button. A signed-in citizen's success opens that report (HX-Redirect). */
  document.body.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.xhr.status === 400 && e.detail.target.classList.contains("me-too-result")) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  /* A "me too" that counted says the report typed into this form was not sent (_me_too_answer.html): one such notice
     at a time, the latest. "Continue my report" puts the citizen back in it; "Discard my report" forgets the tab's
     draft and leaves for the page the answer names. Until then the draft stays, as typed. */
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (!e.detail.target.classList.contains("me-too-result") || !e.detail.target.querySelector("[data-me-too-done]")) {
      return;
    }
    form.querySelectorAll(".me-too-draft").forEach(function (notice) {
      if (!e.detail.target.contains(notice)) { notice.remove(); }
    });
  });
  form.addEventListener("click", function (e) {
    var button = e.target.closest(".me-too-continue, .me-too-discard");
    if (!button) { return; }
    if (button.classList.contains("me-too-discard")) {
      if (draft) { draft.forget(); }
      window.location.assign(button.dataset.url);
      return;
    }
    button.closest(".me-too-draft").remove();
    var title = document.getElementById("id_title");
    title.scrollIntoView({ block: "center" });
    title.focus();
  });

  /* --- map --- */
  var map = window.PortalMap.create(document.getElementById("filing-map"));
  var marker = null;

  function showStatus(text, bad) {
    pinStatus.textContent = text;
    pinStatus.className = "small mb-2 " + (bad ? "text-danger fw-semibold" : "text-success");
  }

  /* The server's message about the pin it refused (under the map): it speaks for that pin only. */
  var serverPinError = document.getElementById("lat-error");

  /* Brings a pin the user did not tap into view: up close in the city; outside it, framed together with the city
     (up close it would stand alone in the blue, with no outline to say where the city is). */
  function showPin(lat, lng, inside) {
    if (inside || !map.boundaryLayer) { map.setView([lat, lng], Math.max(map.getZoom(), 16)); return; }
    map.fitBounds(map.boundaryLayer.getBounds().extend([lat, lng]), { animate: false, padding: [12, 12] });
  }

  /* Each pin (and each removal) gets a number: the server's answer about an earlier pin is old news when it comes. */
  var latestPin = 0;

  function setPin(lat, lng, pan) {
    lat = Math.round(lat * 1e6) / 1e6; lng = Math.round(lng * 1e6) / 1e6;
    var refusedPin = serverPinError && String(lat) === latInput.value && String(lng) === lngInput.value;
    if (serverPinError && !refusedPin) { serverPinError.remove(); serverPinError = null; }
    latInput.value = lat; lngInput.value = lng;
    // Not a Tab stop: Leaflet made the pin a focusable image "Marker" that did nothing; the line under the map says
    // where it is (and a screen reader hears it there), the buttons beside the map move it. A finger or the mouse
    // drags it: where it is let go counts as a tap there.
    if (marker) { marker.setLatLng([lat, lng]); } else {
      marker = L.marker([lat, lng], { keyboard: false, alt: "", draggable: true }).addTo(map);
      marker.on("dragend", function () { var at = marker.getLatLng(); setPin(at.lat, at.lng, false); });
    }
    clearButton.classList.remove("d-none");
    // What the line said ("could not tell your location", the last pin's kelurahan) was about before this pin.
    showStatus("", false);
    var pinNumber = ++latestPin;
    function current() { return pinNumber === latestPin; }
    var located = fetch(d.locateUrl + "?lat=" + lat + "&lng=" + lng, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
    if (pan) {
      // Framed once the server says whether it is in the city; with no answer, at least the pin is shown.
      located.then(function (info) { if (current()) { showPin(lat, lng, info.inside); } },
                   function () { if (current()) { showPin(lat, lng, true); } });
    }
    located.then(function (info) {
      if (!current()) { return; }
      if (info.inside) {
        showStatus(d.msgKelurahan + ": " + info.kelurahan + (info.kecamatan ? " (" + info.kecamatan + ")" : ""), false);
        if (areaSelect) { areaSelect.value = String(info.area_id); }
      } else {
        // The kelurahan must not outlive the pin that chose it: a report outside the city has none.
        if (areaSelect) { areaSelect.value = ""; }
        // The server already says why it refused this very pin: one message, not two.
        if (refusedPin) { pinStatus.textContent = ""; } else { showStatus(info.message || d.msgOutside, true); }
      }
      if (draft) { draft.save(); }
    }, function () {
      if (!current()) { return; }
      // No answer (no connection, the server busy): the last pin's kelurahan must not stay beside this one, and the
      // citizen is told why none shows. The server places the pin itself when the report is sent.
      if (areaSelect) { areaSelect.value = ""; }
      showStatus(d.msgUnchecked, true);
      if (draft) { draft.save(); }
    });
    refreshSimilar();
  }

  function removePin() {
    latestPin += 1;
    latInput.value = ""; lngInput.value = "";
    if (marker) { map.removeLayer(marker); marker = null; }
    pinStatus.textContent = ""; clearButton.classList.add("d-none");
    if (serverPinError) { serverPinError.remove(); serverPinError = null; }
    refreshSimilar();  // those in the kelurahan still chosen, if one is
  }

  map.on("click", function (e) { setPin(e.latlng.lat, e.latlng.lng, false); });
  if (latInput.value && lngInput.value) {
    map.ready.then(function () { setPin(parseFloat(latInput.value), parseFloat(lngInput.value), true); });
  }
  /* "Remove pin" hides itself: the focus goes on to the kelurahan list, which now decides where the report is (else
     to "Use my location"), instead of falling to the top of the page. */
  clearButton.addEventListener("click", function () {
    removePin();
    (areaSelect || document.getElementById("use-my-location")).focus();
  });
  /* The map goes to the kelurahan chosen from the list, so the pin can be dropped there: a Ketua RT who picked his
     kelurahan first was left looking at the whole city (the RT walk). Only the view moves: no pin is dropped. */
  function showChosenKelurahan() {
    if (!areaSelect || !areaSelect.value || !map.boundaryLayer) { return; }
    map.boundaryLayer.eachLayer(function (outline) {
      if (String(outline.feature.properties.id) !== areaSelect.value) { return; }
      map.fitBounds(outline.getBounds(), { animate: false });
    });
  }
  /* The pin decides the kelurahan when the report is filed: a kelurahan picked from the list while a pin is set
     would be ignored. Picking one removes the pin (the line under the map says so) and the map shows that
     kelurahan, so what the page shows is what is filed. */
  if (areaSelect) {
    areaSelect.addEventListener("change", function () {
      if (areaSelect.value && latInput.value) {
        removePin();
        showStatus(d.msgAreaChosen, false);
      } else {
        refreshSimilar();
      }
      showChosenKelurahan();
    });
    // A kelurahan chosen without a pin (a form sent back refused, the tab's draft): the map opens on it.
    if (areaSelect.value && !latInput.value) { map.ready.then(showChosenKelurahan); }
  }
  /* "Skip the map" (under "Where is it?"): the focus goes to the kelurahan list, past the map and its zoom buttons;
     following the link alone only scrolled there. */
  form.querySelector(".skip-map").addEventListener("click", function (e) {
    var target = areaSelect || document.getElementById("id_address");
    e.preventDefault();
    target.scrollIntoView({ block: "center" });
    target.focus();
  });
  document.getElementById("use-my-location").addEventListener("click", function () {
    if (!navigator.geolocation) { showStatus(d.msgNogeo, true); return; }
    navigator.geolocation.getCurrentPosition(
      function (pos) { setPin(pos.coords.latitude, pos.coords.longitude, true); },
      function () { showStatus(d.msgNogeo, true); },
      { enableHighAccuracy: true, timeout: 10000 }
    );
  });
  photoButton.addEventListener("click", function () {
    if (photoGps) { setPin(photoGps.lat, photoGps.lng, true); photoButton.classList.add("d-none"); }
  });

  /* --- photos: checked and kept as soon as they are picked --- */
  var fileInput = document.getElementById("id_photos");
  var kept = document.getElementById("kept-photos");
  var photoErrors = document.getElementById("photo-errors");
  /* "lampu.jpg added (1 of 3)" / "… removed (0 of 3)": a screen reader hears what the list of photos now holds
     (the list itself is silent). MAX_PHOTOS: as many as the server takes, said by the picker (data-max-photos, from
     complaints/photos.py through FilingForm.max_photos). */
  var photoStatus = document.getElementById("photo-status");
  var MAX_PHOTOS = parseInt(fileInput.dataset.maxPhotos, 10);
  function sayPhotos(message, name) {
    PhotoUpload.announce(photoStatus, message.replace("{name}", name)
      .replace("{n}", kept.querySelectorAll("li.kept-photo").length).replace("{max}", MAX_PHOTOS));
  }

  /* A photo's message (refused, too many) is about the pick it answers: the next pick or a removal makes it old news,
     and an answer still on its way from an earlier pick is not shown at all. */
  var latestPick = 0;
  function clearPhotoErrors() {
    photoErrors.textContent = "";
    form.querySelectorAll(".photo-error").forEach(function (e) { e.remove(); });
    fileInput.classList.remove("is-invalid");
    fileInput.removeAttribute("aria-invalid");
  }

  /* A refused photo (or one too many) marks the picker invalid, tied to the message under it. */
  function refusePhoto(message) {
    var line = document.createElement("div"); line.textContent = message; photoErrors.appendChild(line);
    fileInput.setAttribute("aria-invalid", "true");
    var described = (fileInput.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf("photo-errors") === -1) { described.push("photo-errors"); }
    fileInput.setAttribute("aria-describedby", described.join(" "));
  }

  /* Each "Remove" says which photo ("Remove IMG_1234.jpg": the visible word first, then the file's name); once one is
     removed the focus goes to the next photo's "Remove", else the previous one's, else the photo picker, instead of
     falling to the top of the page with the button that had it. */
  function bindRemove(li) {
    var button = li.querySelector(".remove-photo");
    var name = li.querySelector(".kept-photo-name");
    if (name && name.textContent) { button.setAttribute("aria-label", button.textContent.trim() + " " + name.textContent); }
    button.addEventListener("click", function () {
      var next = li.nextElementSibling, previous = li.previousElementSibling;
      while (next && !next.querySelector(".remove-photo")) { next = next.nextElementSibling; }
      while (previous && !previous.querySelector(".remove-photo")) { previous = previous.previousElementSibling; }
      var target = next || previous;
      li.remove(); clearPhotoErrors();
      photoStatus.textContent = "";
      sayPhotos(d.msgPhotoRemoved, name ? name.textContent : "");
      (target ? target.querySelector(".remove-photo") : fileInput).focus();
      if (draft) { draft.save(); }
    });
  }
  kept.querySelectorAll("li").forEach(bindRemove);

  function photoPlaceholder() {
    var box = document.createElement("span");
    box.className = "kept-photo-placeholder rounded border bg-light d-inline-flex align-items-center justify-content-center";
    box.style.width = "56px"; box.style.height = "56px";
    box.setAttribute("aria-hidden", "true");
    box.textContent = "📷";
    return box;
  }

  /* A photo the server accepted: its token goes with the form. Without the picked file (a photo kept from before
     the page was reloaded) there is no preview, only its name. */
  function addKept(result, file) {  // `file`: a photo just picked, said to a screen reader; none: one put back
    var li = document.createElement("li");
    li.className = "kept-photo d-flex align-items-center gap-2 mb-1";
    var hidden = document.createElement("input");
    hidden.type = "hidden"; hidden.name = "photo_tokens"; hidden.value = result.token;
    li.appendChild(hidden);
    if (file) {
      var img = document.createElement("img");
      img.alt = ""; img.width = 56; img.height = 56; img.style.objectFit = "cover";
      img.className = "rounded";
      // A photo the browser cannot draw (HEIC in Chrome) gets a plain box instead of an empty frame; its name beside.
      img.addEventListener("error", function () { img.replaceWith(photoPlaceholder()); });
      img.src = URL.createObjectURL(file);
      li.appendChild(img);
    } else {
      li.appendChild(document.createTextNode("📷 "));
    }
    var name = document.createElement("span"); name.className = "kept-photo-name"; name.textContent = result.name;
    var remove = document.createElement("button");
    remove.type = "button"; remove.className = "btn btn-link btn-sm remove-photo"; remove.textContent = d.msgRemove;
    li.append(name, remove);
    kept.appendChild(li);
    bindRemove(li);
    if (file) { sayPhotos(d.msgPhotoAdded, result.name); }
    if (draft) { draft.save(); }
  }

  /* A report is never sent without a photo the citizen added (photo-upload.js holds "Send" until they are in). */
  var held = PhotoUpload.holdSubmits(form, document.getElementById("submit-status"), d);
  var maxSide = parseInt(fileInput.dataset.maxSide, 10) || 0;

  fileInput.addEventListener("change", function () {
    var files = Array.prototype.slice.call(fileInput.files);
    var pick = ++latestPick;
    clearPhotoErrors();
    photoStatus.textContent = "";
    files.forEach(function (file) {
      if (kept.querySelectorAll("li").length >= MAX_PHOTOS) {
        if (photoErrors.textContent.indexOf(d.msgTooMany) === -1) { refusePhoto(d.msgTooMany); }
        return;
      }
      var refusal = PhotoUpload.refusedAtOnce(file, fileInput, d);
      if (refusal) { refusePhoto(refusal); return; }
      held.started();
      PhotoUpload.upload(file, { list: kept, url: d.photoUrl, csrf: csrf, maxSide: maxSide, messages: d })
        .then(function (result) {
          // A refusal answering an earlier pick is old news; a photo lost on the way is said whichever pick it came
          // from: it is not added, and the citizen must know.
          if (result.error && !result.lost && pick !== latestPick) { held.done(false); return; }
          if (result.error) { refusePhoto(result.error); held.done(true); return; }
          addKept(result, file);
          if (result.gps && !latInput.value) { photoGps = result.gps; photoButton.classList.remove("d-none"); }
          held.done(false);
        });
    });
    fileInput.value = "";
  });

  if (draft) {
    draft.extra("photos",
      function () {
        return Array.prototype.map.call(kept.querySelectorAll("li.kept-photo"), function (li) {
          var name = li.querySelector(".kept-photo-name");
          return { token: li.querySelector("input[name=photo_tokens]").value, name: name ? name.textContent : "" };
        });
      },
      function (photos) { (photos || []).forEach(function (photo) { addKept(photo); }); });
    // A service chosen before the reload: fetch its questions (the draft answers them when they arrive).
    if (draft.restored && selectedService()) { refreshAttributes(); }
  }
  // A kelurahan chosen without a pin (a refused form, the draft): its similar reports, as a pin's are once it is set.
  if (!latInput.value) { refreshSimilar(); }
})();
