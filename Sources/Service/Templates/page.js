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
