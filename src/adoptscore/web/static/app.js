// Progressive enhancement only: every page works without script. Changing a filter submits it.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field && field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.submit();
  }
});
