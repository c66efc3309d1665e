// Progressive enhancement only: every page works without script. Changing a filter submits it.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field && field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.submit();
  }
});

// A review page's agreement figures follow the answers other owners give while it is open.
(function () {
  var box = document.querySelector("#agreement[data-review]");
  if (!box || !window.fetch) { return; }
  function pct(a) { return a.agreement === null ? "–" : Math.round(a.agreement * 100) + "%"; }
  function kappa(a) { return a.kappa === null ? "n/a" : a.kappa.toFixed(2); }
  function set(field, text) {
    var cell = box.querySelector('[data-field="' + field + '"]');
    if (cell) { cell.textContent = text; }
  }
  function refresh() {
    fetch("/api/reviews/" + box.getAttribute("data-review"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var g = data.agreement;
        set("proposed-agreement", pct(g.proposed) + " (" + g.proposed.agreeing + " of " + g.proposed.compared + ")");
        set("proposed-kappa", kappa(g.proposed));
        set("current-agreement", pct(g.current) + " (" + g.current.agreeing + " of " + g.current.compared + ")");
        set("current-kappa", kappa(g.current));
        var answered = box.querySelector("#answered strong");
        if (answered) { answered.textContent = g.answered; }
      })
      .catch(function () {});
  }
  setInterval(refresh, 15000);
})();
