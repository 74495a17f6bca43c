// Submit a filter form when a select changes, so the worker list updates without a separate button press.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches("form[data-autosubmit] select")) {
    el.form.requestSubmit();
  }
});

// A tab row wider than the screen scrolls sideways: bring the current tab into view and fade the side
// where more tabs wait, so every tab is visibly reachable.
function portalScrollHints() {
  document.querySelectorAll("[data-scroll-hint]").forEach(function (frame) {
    var row = frame.querySelector("ul");
    if (!row) { return; }
    var update = function () {
      var max = row.scrollWidth - row.clientWidth;
      frame.classList.toggle("more-before", row.scrollLeft > 1);
      frame.classList.toggle("more-after", row.scrollLeft < max - 1);
    };
    if (!frame.dataset.hinted) {
      frame.dataset.hinted = "1";
      var current = row.querySelector("[aria-current]");
      if (current && row.scrollWidth > row.clientWidth) {
        row.scrollLeft = current.offsetLeft - (row.clientWidth - current.offsetWidth) / 2;
      }
      row.addEventListener("scroll", update, { passive: true });
      window.addEventListener("resize", update);
    }
    update();
  });
}
portalScrollHints();
