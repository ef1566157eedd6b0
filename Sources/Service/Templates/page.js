// Live updates: when someone publishes a new version of the week, a page showing the
// week says so and, unless a form is being filled in, reloads to show it; when a solve
// starts, every page shows its progress (the solve panel below).
(function () {
  if (!document.body.dataset.csrf || !window.EventSource) return;
  var shown = document.body.dataset.version;
  var source = new EventSource("/api/updates");
  source.addEventListener("published", function (event) {
    var update = JSON.parse(event.data);
    if (!shown || String(update.version) === shown) return;
    var live = document.getElementById("live");
    live.textContent = "Version " + update.version + " of the week was published" +
      (update.by ? " by " + update.by : "") + (document.body.dataset.reload === "no" ? "." : "; showing it now.");
    live.hidden = false;
    if (document.body.dataset.reload !== "no") setTimeout(function () { location.reload(); }, 500);
  });
  source.addEventListener("solving", function () { if (window.iopSolve) window.iopSolve.watch(0); });
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

// A solve's progress: while one runs (started from this page or any other), the page shows
// how far the search has come, tier by tier, and a button that stops it early with the
// best roster found so far (/api/solve/progress and /api/solve/cancel; the service allows
// the one who started it and coordinators).
(function () {
  var panel = document.getElementById("solve");
  if (!panel || !window.EventSource || !window.fetch) return;
  var text = document.getElementById("solve-text");
  var stop = document.getElementById("solve-stop");
  var tiers = { 0: "pins", 1: "client hours and days", 2: "treatment plans", 3: "stability and continuity",
                4: "sections, staff load and preferences" };
  var source = null;
  function figure(value) { return value === null || value === undefined ? "none yet" : String(Math.round(value * 100) / 100); }
  // Follows the running solve; `retries` more tries while none has started yet.
  function watch(retries) {
    if (source) return;
    source = new EventSource("/api/solve/progress");
    source.addEventListener("idle", function () {
      source.close();
      source = null;
      if (retries > 0) setTimeout(function () { watch(retries - 1); }, 300);
    });
    source.addEventListener("started", function (event) {
      var update = JSON.parse(event.data);
      panel.hidden = false;
      text.textContent = "Searching (" + update.solve + ", started by " + update.started_by + ")…";
      stop.hidden = false;
      stop.disabled = false;
    });
    source.addEventListener("progress", function (event) {
      var update = JSON.parse(event.data);
      text.textContent = "Searching " + (tiers[update.tier] || "tier " + update.tier) + ": best so far " +
        figure(update.incumbent) + ", bound " + figure(update.bound) + ", " + Math.round(update.seconds || 0) + " s.";
    });
    source.addEventListener("finished", function (event) {
      var update = JSON.parse(event.data);
      source.close();
      source = null;
      stop.hidden = true;
      text.textContent = (update.outcome === "cancelled" ? "The search was stopped" : "The search ended") +
        " (" + update.solve + ", started by " + update.started_by + ").";
    });
  }
  window.iopSolve = { watch: watch };
  document.querySelectorAll("form[data-solve]").forEach(function (form) {
    form.addEventListener("submit", function () {
      panel.hidden = false;
      text.textContent = "Starting the search…";
      stop.hidden = true;
      watch(10);
    });
  });
  stop.addEventListener("click", function () {
    stop.disabled = true;
    fetch("/api/solve/cancel", { method: "POST", credentials: "same-origin",
                                 headers: { "X-CSRF-Token": document.body.dataset.csrf || "" } })
      .then(function (response) {
        text.textContent = response.status === 202 ? "Stopping: the best found so far comes next…" :
          response.status === 403 ? "Only the one who started it, or a coordinator, may stop this search." :
          "The search had already ended.";
      });
  });
})();
