// Staff queue: "select all" for bulk actions (the table is swapped by htmx, so listen on the document), and the
// focus kept in the results when htmx swaps them.
(function () {
  "use strict";
  // Back or Forward to a filter chosen with htmx loads that URL again (the form has hx-history="false"): the page
  // comes with the filter controls drawn from it. Swapped in by htmx instead, the whole page's scripts would run
  // a second time.
  if (window.htmx) { window.htmx.config.refreshOnHistoryMiss = true; }
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "select-all") {
      document.querySelectorAll("#queue-table .row-select").forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
    if (event.target && (event.target.id === "select-all" || event.target.classList.contains("row-select"))) {
      offerTickedAsMergeTargets();
    }
  });

  // "Merge into…" offers the ticked tickets' references to pick the one the others go into (all of the page's
  // while none is ticked, as the page comes drawn).
  function offerTickedAsMergeTargets() {
    var list = document.getElementById("bulk-into-choices");
    if (!list) { return; }
    var boxes = Array.prototype.slice.call(document.querySelectorAll("#queue-table .row-select"));
    var ticked = boxes.filter(function (box) { return box.checked; });
    list.replaceChildren.apply(list, (ticked.length ? ticked : boxes).map(function (box) {
      var option = document.createElement("option");
      option.value = box.closest("tr").getAttribute("data-reference");
      return option;
    }));
  }

  // The kelurahan list follows the kecamatan chosen: its options are redrawn before htmx sends the filters (this
  // listens while the change goes down to the list, htmx on the form as it comes back up), and a kelurahan outside
  // the new kecamatan is let go instead of being sent with it. The server draws the same list (staff_views).
  document.addEventListener("change", function (event) {
    if (!event.target || event.target.id !== "filter-kecamatan") { return; }
    var kelurahan = document.getElementById("filter-kelurahan");
    var data = document.getElementById("filter-kelurahan-choices");
    if (!kelurahan || !data) { return; }
    var kecamatan = event.target.value;
    var chosen = kelurahan.value;
    var any = kelurahan.options[0];
    var options = [any];
    JSON.parse(data.textContent).forEach(function (area) {
      if (kecamatan && String(area[2]) !== kecamatan) { return; }
      var option = document.createElement("option");
      option.value = String(area[0]);
      option.textContent = area[1];
      options.push(option);
    });
    kelurahan.replaceChildren.apply(kelurahan, options);
    kelurahan.value = options.some(function (option) { return option.value === chosen; }) ? chosen : "";
  }, true);

  // Asking for what was escalated to the inspectorate ("ever", or an escalation date) lists every status, as the
  // server does when no status is sent (QueueFilterForm.default_status): the form sends the status it shows, and the
  // inspector found only the open ones, while the list is for the reports answered late too. A status chosen other
  // than the default "open" stays as chosen. Runs before htmx sends the filters (capture, as the kelurahan above).
  document.addEventListener("change", function (event) {
    var id = event.target && event.target.id;
    if (id !== "filter-escalated" && id !== "filter-escalated_from" && id !== "filter-escalated_until") { return; }
    var status = document.getElementById("filter-status");
    if (!status || status.value !== "open" || !event.target.value) { return; }
    if (id === "filter-escalated" && event.target.value !== "ever") { return; }
    status.value = "all";
  }, true);

  // A swap of the results takes away the control that had the focus when it was inside them ("Next", a row's box):
  // the focus fell to the page, scrolled near the bottom, and the next Tab went to the footer past the new rows.
  // It goes to the count of the new results instead ("105 tickets", described by "Page 2 of 5"), scrolled into
  // view. A control htmx finds again by its id keeps the focus (the bulk "Apply"), and a swap asked from the filters
  // leaves the focus where the user is typing or choosing.
  var focusWasInResults = false;
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    focusWasInResults = !!target && target.id === "queue-results" && target.contains(document.activeElement);
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (!focusWasInResults || event.detail.target.id !== "queue-results") { return; }
    focusWasInResults = false;
    var results = event.detail.target;
    if (results.contains(document.activeElement)) { return; }
    var count = document.getElementById("queue-count");
    if (!count) { return; }
    count.focus({ preventScroll: true });
    results.scrollIntoView({ block: "start" });
  });
})();
