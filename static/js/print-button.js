// A "Print" button (data-print): opens the browser's print dialog, where the page may also be saved as PDF. Hidden
// until this script runs: without it the button would do nothing.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
