// Staff queue: "select all" for bulk actions (the table is swapped by htmx, so listen on the document).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "select-all") {
      document.querySelectorAll("#queue-table .row-select").forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
  });
})();
