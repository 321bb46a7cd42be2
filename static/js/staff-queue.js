// Staff queue: "select all" for bulk actions (the table is swapped by htmx, so listen on the document).
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
})();
