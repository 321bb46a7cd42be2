/* While an htmx request a person started is on its way (a queue filter changed, "Me too" pressed, a service's
   questions asked for), the page says so: a thin bar runs along the top of the window (fixed, so a phone scrolled
   far down sees it too), the part of the page that will change is aria-busy, and after a moment a screen reader
   hears "Loading…" (#busy-status). On a slow link a pressed button otherwise did nothing visible for seconds.
   htmx itself marks the requesting element (.htmx-request, styled in portal.css). Polling (hx-trigger="every …", an
   export's progress) and anything inside [data-busy-quiet] stay quiet: the bar would run every second. */
(function () {
  "use strict";
  var bar = document.getElementById("busy-bar");
  var status = document.getElementById("busy-status");
  if (!bar || !status) return;
  var SPOKEN_AFTER_MS = 1000;  // a quick answer is not announced at all
  var inFlight = [];  // { target }: one per request on its way
  var speakLater = null;

  function quiet(elt) {
    if (!elt || !elt.closest) return false;
    if (elt.closest("[data-busy-quiet]")) return true;
    var trigger = elt.getAttribute("hx-trigger") || elt.getAttribute("data-hx-trigger") || "";
    return /(^|,)\s*every\s/.test(trigger);
  }

  function show() {
    var busy = inFlight.length > 0;
    bar.classList.toggle("busy-on", busy);
    if (busy && !speakLater && !status.textContent) {
      speakLater = window.setTimeout(function () {
        speakLater = null;
        if (inFlight.length) status.textContent = status.dataset.busyText;
      }, SPOKEN_AFTER_MS);
    }
    if (!busy) {
      window.clearTimeout(speakLater);
      speakLater = null;
      status.textContent = "";
    }
  }

  // beforeSend, not beforeRequest: from here on the request ends (loadend) whatever happens, answer or not.
  document.body.addEventListener("htmx:beforeSend", function (event) {
    var detail = event.detail;
    if (quiet(detail.elt)) return;
    var request = { target: detail.target && detail.target.setAttribute ? detail.target : null };
    inFlight.push(request);
    if (request.target) request.target.setAttribute("aria-busy", "true");
    show();
    detail.xhr.addEventListener("loadend", function () {
      inFlight.splice(inFlight.indexOf(request), 1);
      var targetStillBusy = inFlight.some(function (other) { return other.target === request.target; });
      if (request.target && !targetStillBusy) request.target.removeAttribute("aria-busy");
      show();
    });
  });
})();
