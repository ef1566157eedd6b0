// Live updates: when someone publishes a new version of the week, the page says so and,
// unless a form is being filled in, reloads to show it.
(function () {
  var shown = document.body.dataset.version;
  if (!shown || !window.EventSource) return;
  var source = new EventSource("/api/updates");
  source.addEventListener("published", function (event) {
    var update = JSON.parse(event.data);
    if (String(update.version) === shown) return;
    var live = document.getElementById("live");
    live.textContent = "Version " + update.version + " of the week was published" +
      (update.by ? " by " + update.by : "") + (document.body.dataset.reload === "no" ? "." : "; showing it now.");
    live.hidden = false;
    if (document.body.dataset.reload !== "no") setTimeout(function () { location.reload(); }, 500);
  });
})();

// The week's filters: show only the sessions of a facilitator, a room, a track or a client
// (a client's or a facilitator's own week), on the page itself, so no choice is in a URL.
(function () {
  var filters = document.getElementById("filters");
  if (!filters) return;
  var selects = filters.querySelectorAll("select[data-filter]");
  function apply() {
    document.querySelectorAll("details.session").forEach(function (session) {
      var shown = Array.prototype.every.call(selects, function (select) {
        return !select.value || (session.dataset[select.dataset.filter] || "").split(" ").indexOf(select.value) >= 0;
      });
      session.hidden = !shown;
      if (shown && selects[3].value) session.open = true;
    });
  }
  selects.forEach(function (select) { select.addEventListener("change", apply); });
})();
