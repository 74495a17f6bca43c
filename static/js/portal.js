// Submit a filter form when a select changes, so the worker list updates without a separate button press.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches("form[data-autosubmit] select")) {
    el.form.requestSubmit();
  }
});
