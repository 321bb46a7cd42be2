/* Photos from a phone on a slow connection, sent as soon as they are picked: what the server would refuse for its size
   or kind is refused before a byte is sent (a 14 MB photo took minutes on 3G to be told so), a photo larger than the
   server keeps is shrunk first (an 8.5 MB photo became 1600 px there anyway), and the sending shows how far it is. The
   server checks all the same. The limits come from the picker (complaints/photos.py, via the widget: data-max-bytes,
   data-max-side), the messages from the page (the element's data-msg-*, the server's words). Used by the citizen's
   filing form (filing-form.js) and the staff forms that take photos (staff-ticket.js); announce() says a photo added
   or removed to a screen reader (the filing form's). */
window.PhotoUpload = (function () {
  "use strict";

  /* "" or why `file` is refused without sending it. `msgs`: the messages' dataset (msgTooLarge, msgNotImage). */
  function refusedAtOnce(file, picker, msgs) {
    var maxBytes = parseInt(picker.dataset.maxBytes, 10) || 0;
    if (maxBytes && file.size > maxBytes) { return msgs.msgTooLarge.replace("{name}", file.name); }
    // A known type that is no picture at all (a PDF, a video); an unknown one ("" for HEIC on some phones) and
    // other pictures go to the server, which names the formats it takes.
    if (file.type && file.type.indexOf("image/") !== 0) { return msgs.msgNotImage.replace("{name}", file.name); }
    return "";
  }

  /* Only where the browser turns the picture upright itself (image-orientation), and only JPEGs: their EXIF block
     goes along into the smaller copy, so the server still finds the photo's GPS ("Use the photo's location") and
     strips it as before. Anything that fails sends the photo as picked. */
  var canShrink = !!(window.createImageBitmap && window.Blob && Blob.prototype.arrayBuffer &&
    window.CSS && CSS.supports && CSS.supports("image-orientation", "from-image"));

  /* The JPEG's EXIF segment (APP1) with its orientation set to "upright": the pixels are turned already. */
  function uprightExif(bytes) {
    var view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    var at = 2;
    while (at + 4 <= bytes.length && bytes[at] === 0xFF) {
      var marker = bytes[at + 1], length = view.getUint16(at + 2);
      if (marker === 0xDA || marker === 0xD9) { return null; }  // the picture starts: no EXIF before it
      if (marker === 0xE1 && at + 2 + length <= bytes.length && view.getUint32(at + 4) === 0x45786966) {  // "Exif"
        var segment = bytes.slice(at, at + 2 + length);
        var exif = new DataView(segment.buffer), tiff = 10, little = exif.getUint16(tiff) === 0x4949;
        var ifd = tiff + exif.getUint32(tiff + 4, little);
        if (ifd + 2 > segment.length) { return segment; }
        for (var i = 0, n = exif.getUint16(ifd, little); i < n && ifd + 14 + 12 * i <= segment.length; i += 1) {
          var entry = ifd + 2 + 12 * i;
          if (exif.getUint16(entry, little) === 0x0112) { exif.setUint16(entry + 8, 1, little); }
        }
        return segment;
      }
      at += 2 + length;
    }
    return null;
  }

  /* A JPEG larger than `maxSide` pixels as an upright copy of that size; anything else as it was picked. */
  function shrunk(file, maxSide) {
    if (!canShrink || !maxSide) { return Promise.resolve(file); }
    return file.slice(0, 131072).arrayBuffer().then(function (head) {
      var bytes = new Uint8Array(head);
      if (bytes[0] !== 0xFF || bytes[1] !== 0xD8) { return file; }
      return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
        var scale = maxSide / Math.max(bitmap.width, bitmap.height);
        if (scale >= 1) { if (bitmap.close) { bitmap.close(); } return file; }
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        if (bitmap.close) { bitmap.close(); }
        return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.9); }).then(function (blob) {
          if (!blob || blob.size >= file.size) { return file; }
          var exif = uprightExif(bytes);
          var parts = exif ? [blob.slice(0, 2), exif, blob.slice(2)] : [blob];
          return new File(parts, file.name, { type: "image/jpeg" });
        });
      });
    }).catch(function () { return file; });
  }

  /* XMLHttpRequest, not fetch: only it tells how much of the photo is sent. Resolves with the server's JSON (its
     refusals too); anything else (no connection, a proxy's HTML page) rejects. */
  function sendPhoto(url, csrf, file, onProgress) {
    return new Promise(function (resolve, reject) {
      var body = new FormData();
      body.append("photo", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("X-CSRFToken", csrf);
      xhr.responseType = "json";
      xhr.upload.addEventListener("progress", function (e) { if (e.lengthComputable) { onProgress(e.loaded, e.total); } });
      xhr.addEventListener("load", function () {
        if (xhr.response && typeof xhr.response === "object") { resolve(xhr.response); } else { reject(new Error(xhr.status)); }
      });
      xhr.addEventListener("error", reject);
      xhr.addEventListener("abort", reject);
      xhr.send(body);
    });
  }

  /* The line of a photo on its way: what is happening, and how much is sent. */
  function pendingLine(file, msgs) {
    var li = document.createElement("li");
    li.className = "photo-pending small text-muted d-flex align-items-center gap-2 flex-wrap";
    var text = document.createElement("span");
    var bar = document.createElement("progress");
    bar.max = 100; bar.className = "d-none"; bar.setAttribute("aria-label", file.name);
    var percent = document.createElement("span");
    li.append(text, bar, percent);
    function say(message) { text.textContent = message + " " + file.name; }
    say(msgs.msgShrinking);
    return {
      li: li,
      sending: function (loaded, total) {
        var done = total ? Math.round(100 * loaded / total) : 0;
        if (loaded >= total) { say(msgs.msgUploading); bar.classList.add("d-none"); percent.textContent = ""; return; }
        say(msgs.msgSending); bar.classList.remove("d-none"); bar.value = done; percent.textContent = done + "%";
      }
    };
  }

  /* One picked photo shrunk and sent to `options.url`, its line at the end of `options.list` while it is on its way.
     Resolves with the server's answer ({token, name, …} or {error}); a photo lost on the way (no connection, no
     answer) with {error: msgUploadFailed, lost: true}. */
  function upload(file, options) {
    var msgs = options.messages;
    var pending = pendingLine(file, msgs);
    options.list.appendChild(pending.li);
    return shrunk(file, options.maxSide)
      .then(function (toSend) {
        pending.sending(0, toSend.size);
        return sendPhoto(options.url, options.csrf, toSend, pending.sending);
      })
      .then(function (result) { pending.li.remove(); return result; }, function () {
        pending.li.remove();
        return { error: msgs.msgUploadFailed.replace("{name}", file.name), lost: true };
      });
  }

  /* A form is never sent without a photo the user added: "Send" while one is still on its way waits for it (and
     `status` says so: msgWaitPhotos), then sends; if one cannot be added meanwhile, nothing is sent and `status`
     says why (msgNotSent). Call started() as a photo goes, done(problem) when it is in or refused. */
  function holdSubmits(form, status, msgs) {
    var uploading = 0;
    var heldSubmitter = null;   // the button of a sending held until the photos are in
    var problemWhileHeld = false;
    form.addEventListener("submit", function (event) {
      if (!uploading) { status.textContent = ""; return; }
      // Before a draft and send-once.js see it (capture): for them this was no sending.
      event.preventDefault();
      heldSubmitter = event.submitter || form.querySelector("[type=submit]");
      problemWhileHeld = false;
      status.textContent = msgs.msgWaitPhotos;
    }, true);
    return {
      started: function () { uploading += 1; },
      done: function (problem) {
        uploading -= 1;
        if (problem && heldSubmitter) { problemWhileHeld = true; }
        if (uploading || !heldSubmitter) { return; }
        var submitter = heldSubmitter;
        heldSubmitter = null;
        if (problemWhileHeld) { status.textContent = msgs.msgNotSent; return; }
        status.textContent = "";
        form.requestSubmit(submitter);
      }
    };
  }

  /* A photo added or removed, said by a screen reader: `region` is a polite live region (aria-live="polite", not
     atomic), and each message is a line of its own, so three photos picked together are said one after another.
     The caller empties the region when its lines are old news (a new pick, a removal). The list of photos itself is
     no live region: its progress lines would be read at every step. */
  function announce(region, message) {
    if (!region) { return; }
    var line = document.createElement("div");
    line.textContent = message;
    region.appendChild(line);
  }

  return { refusedAtOnce: refusedAtOnce, upload: upload, holdSubmits: holdSubmits, announce: announce };
})();
