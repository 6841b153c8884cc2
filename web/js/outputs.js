// The outputs section's wiring (issue 8): the loss series, accuracy, trained
// samples per second and the confusion matrix, from what pynet reports (store
// snapshots at rest, the play loop's snapshots while playing). Drawing goes
// through the scheduler; training never waits for it.
import { drawLossChart } from "./views/loss-chart.js";
import { renderConfusion } from "./views/confusion.js";
import { setText } from "./dom.js";

const MAX_POINTS = 2000;  // older points are thinned (every other one) past this
const CONFUSION_EVERY_MS = 1000; // while playing
const OUTPUTS_EVERY_MS = 100;     // the figures' redraws while playing

export function createOutputs({ doc, store, trainer, scheduler, setPage }) {
  const $ = (id) => doc.getElementById(id);
  const series = { epoch: [], train: [], test: [] };
  const figures = { epoch: null, trainAcc: null, testAcc: null, rate: null };
  let confusion = null;
  let lastSnap = null;
  let marks = []; // [ms, samples trained so far] from the play loop's snapshots
  let confusionAt = -Infinity;
  let confusionBusy = false;

  function clear() {
    series.epoch.length = series.train.length = series.test.length = 0;
    marks = [];
    confusion = null;
  }
  function add(epoch, train, test) {
    const n = series.epoch.length;
    if (n && epoch < series.epoch[n - 1]) clear(); // a new or older network: a new chart
    const m = series.epoch.length;
    if (m && series.epoch[m - 1] === epoch) { series.train[m - 1] = train; series.test[m - 1] = test; }
    else { series.epoch.push(epoch); series.train.push(train); series.test.push(test); }
    if (series.epoch.length > MAX_POINTS) {
      for (const k of ["epoch", "train", "test"]) series[k] = series[k].filter((_, i) => i % 2 === 0 || i === series[k].length - 1);
    }
    scheduler.invalidate("loss-chart");
  }

  let confusionAgain = false;
  let confusionGap = CONFUSION_EVERY_MS;
  async function fetchConfusion() {
    const s = store.get();
    if (!s.snapshot || s.snapshot.kind === "regression" || s.phase !== "ready") return;
    if (confusionBusy) { confusionAgain = true; return; } // newer weights came meanwhile
    confusionBusy = true;
    const t0 = performance.now();
    confusionAt = t0;
    try {
      // quiet: data that just became regression refuses it, which is no news to the user
      confusion = await trainer.request({ op: "confusion" }, { quiet: true });
    } catch { confusion = null; } finally { confusionBusy = false; }
    // a forward pass over every point (digits: 1,797 through 64-32-10) costs the worker
    // seconds in Pyodide: while playing, wait ten times as long as it took before the
    // next one, so the matrix takes at most ~1/10 of the training time
    confusionGap = Math.max(CONFUSION_EVERY_MS, 10 * (performance.now() - t0));
    scheduler.invalidate("confusion");
    if (confusionAgain) { confusionAgain = false; fetchConfusion(); }
  }

  /** A play-loop snapshot (main.js onSnapshot): losses, accuracy, samples trained. */
  function onSnapshot(msg) {
    const now = performance.now();
    marks.push([now, msg.epoch * msg.epoch_size + msg.cursor]);
    while (marks.length > 2 && now - marks[0][0] > 2000) marks.shift();
    if (marks.length > 1 && now > marks[0][0]) {
      figures.rate = ((marks[marks.length - 1][1] - marks[0][1]) * 1000) / (now - marks[0][0]);
    }
    figures.epoch = msg.epoch;
    if (msg.train_loss !== undefined) {
      add(msg.epoch, msg.train_loss, msg.test_loss);
      figures.trainAcc = msg.train_accuracy ?? null;
      figures.testAcc = msg.test_accuracy ?? null;
    }
    if (now - confusionAt > confusionGap) fetchConfusion();
    // the figures are read by people: ten times a second is enough (a timer shows the last)
    if (now - outputsAt >= OUTPUTS_EVERY_MS) { outputsAt = now; scheduler.invalidate("outputs"); }
    else if (!outputsTimer) {
      outputsTimer = setTimeout(() => { outputsTimer = null; outputsAt = performance.now(); scheduler.invalidate("outputs"); },
        OUTPUTS_EVERY_MS - (now - outputsAt));
    }
  }
  let outputsAt = -Infinity, outputsTimer = null;

  store.subscribe((s) => {
    const snap = s.snapshot;
    if (!snap || snap === lastSnap) return;
    const before = lastSnap;
    lastSnap = snap;
    if (snap.reset === true || (before && before.layers.join() !== snap.layers.join())) {
      clear();
      scheduler.invalidate("loss-chart");
      scheduler.invalidate("confusion");
    }
    if (s.playing) return; // the play loop's own messages carry the figures
    figures.epoch = snap.epoch;
    // (after a single step on big data pynet skips measuring: the stepper keeps the
    // last measured figures, marked losses_stale; they are not this epoch's)
    if (!snap.losses_stale) {
      if (snap.train_accuracy !== undefined) { figures.trainAcc = snap.train_accuracy; figures.testAcc = snap.test_accuracy; }
      if (snap.train_loss !== undefined && snap.weights) add(snap.epoch, snap.train_loss, snap.test_loss);
    }
    if (snap.weights) fetchConfusion(); // a full state: new weights at rest
    scheduler.invalidate("outputs");
  });
  store.subscribe(() => scheduler.invalidate("outputs-page"));

  const pct = (v) => (v == null ? "–" : `${(100 * v).toFixed(1)} %`);
  scheduler.add("outputs", () => {
    const s = store.get();
    const classes = s.snapshot && s.snapshot.kind !== "regression";
    setText($("out-epoch"), figures.epoch == null ? "–" : String(figures.epoch));
    setText($("out-rate"), s.playing && figures.rate != null ? Math.round(figures.rate).toLocaleString("en") : "–");
    setText($("out-train-accuracy"), classes ? pct(figures.trainAcc) : "– (regression)");
    setText($("out-test-accuracy"), classes ? pct(figures.testAcc) : "– (regression)");
  });
  scheduler.add("loss-chart", () => { drawLossChart($("loss-chart"), series, { log: store.get().page.logscale }); });
  scheduler.add("confusion", () => {
    const s = store.get();
    const classes = Boolean(s.snapshot) && s.snapshot.kind !== "regression";
    $("confusion-panel").hidden = !classes;
    renderConfusion($("confusion"), classes ? confusion : null);
  });
  scheduler.add("outputs-page", () => {
    const log = store.get().page.logscale;
    if ($("logscale").checked !== log) { $("logscale").checked = log; scheduler.invalidate("loss-chart"); }
  });
  $("logscale").addEventListener("change", (e) => {
    try { setPage({ logscale: e.target.checked }); } catch { /* setPage shows the notice */ }
    scheduler.invalidate("loss-chart");
  });
  return { onSnapshot, clear, series, get confusion() { return confusion; }, refreshConfusion: fetchConfusion };
}
