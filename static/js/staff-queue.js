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
  });

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
