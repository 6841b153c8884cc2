// Wiring of the data side of the playground (issue 8): the data plot and its
// heatmap, digits' images, the features and discretize controls, own data
// (click to add, remove, clear, CSV paste/upload/export, kept in localStorage)
// and window.pynet's loadCSV/addPoint/exportData. Every number drawn comes
// from the facade (data, grid, predict); the heatmap while playing comes with
// the play loop's snapshots (worker/play-loop.js playGrid), so training never waits.
// Its parts: data/kept.js (localStorage), data/requests.js (what is asked),
// data/own-data.js (own data's requests), data/plot-input.js, data/controls.js.
import { createDataPlot } from "./views/data-plot.js";
import { drawDigits } from "./views/digits.js";
import { createThumbs } from "./views/network-thumbs.js";
import { createKept } from "./data/kept.js";
import { DIGIT_SAMPLES, STILL_GRID_N, isDigits, plotted, pair, gridRequest, playGridRequest, unscale } from "./data/requests.js";
import { createOwnData } from "./data/own-data.js";
import { bindPlotInput } from "./data/plot-input.js";
import { bindDataControls } from "./data/controls.js";

export { STORAGE_KEY, META_KEY, storedShape } from "./data/kept.js";

const DATA_SETTINGS = ["dataset", "samples", "noise", "seed", "train_ratio"];
// set a DOM property only when it changes (these run on store changes, many per second while playing)
function put(el, prop, value) { if (el[prop] !== value) el[prop] = value; }
function putData(el, key, value) { if (el.dataset[key] !== value) el.dataset[key] = value; }

export function bindData(doc, { store, trainer, client, scheduler, animator, networkView, pause, setState }) {
  const $ = (id) => doc.getElementById(id);
  const plotSvg = $("data-plot");
  const plot = createDataPlot(plotSvg);
  const thumbs = createThumbs($("thumbs"));
  const message = $("data-message");
  const say = (text, bad = false) => { message.textContent = text; message.classList.toggle("bad", bad); };
  const setPage = (page) => setState(page).catch((e) => say(e.message, true));

  // What Python answered, kept here (fast data: not in the store).
  const got = {
    data: null,       // the data op's answer for dataKey
    grid: null,       // the latest grid answer
    predicted: null,  // digits: predicted classes of the sample images
    points: null,     // data projected on the two plotted features (for projKey)
    dataKey: null, projKey: null,
    refreshes: 0,     // grids drawn (data-refreshes on the plot, for tests)
  };
  // What the store last showed, to act on changes only.
  const seen = { snap: null, features: null, page: null, playing: false, playGridKey: null, thumbKey: null };
  let pyHasCustom = false;  // Python holds own data (dataset "custom" can be chosen)
  let editCount = 0;        // own-data edits: the data is fetched again after each

  const kept = createKept();
  const own = createOwnData({ store, trainer, client, pause, kept, say, edited: () => { editCount++; } });
  const controls = bindDataControls(doc, { store, kept, own, say, setPage, hasCustom: () => pyHasCustom });
  kept.listen(() => controls.sync(store.get()));
  bindPlotInput(doc, plotSvg, plot, { store, own, say });

  function invalidate() {
    scheduler.invalidate("data");
    scheduler.invalidate("thumbs");
  }

  // ---- requests: data, grid, digits' predictions
  let gridBusy = false, gridAgain = false;
  async function refreshGrid() {
    if (gridBusy) { gridAgain = true; return; }
    gridBusy = true;
    try {
      do {
        gridAgain = false;
        const s = store.get();
        if (isDigits(s)) await refreshDigits();
        const req = gridRequest(s, STILL_GRID_N, got.data);
        if (!req) { got.grid = null; continue; }
        const r = await trainer.request(req, { quiet: true }).catch(() => null); // a stale shape: no news
        if (r && !store.get().playing) { got.grid = r; got.refreshes++; }
      } while (gridAgain);
    } finally {
      gridBusy = false;
      invalidate();
    }
  }

  async function refreshDigits() {
    const data = got.data;
    if (!data || !data.test_x.length) { got.predicted = null; return; }
    // quiet: switching away from digits while this is on its way refuses it (the new
    // network has another width), which is no news to the user and must not replace
    // the page's notice (e.g. the hidden sizes fitted to the new data)
    const r = await trainer.request({ op: "predict", points: data.test_x.slice(0, DIGIT_SAMPLES) },
                                    { quiet: true }).catch(() => null);
    got.predicted = r && r.classes ? r.classes : null;
    invalidate();
  }

  async function fetchData(key) {
    const r = await trainer.request({ op: "data" }).catch(() => null);
    if (key !== got.dataKey) return;      // another change came meanwhile
    got.data = r;
    got.projKey = null;
    got.predicted = null;
    refreshGrid();
    invalidate();
  }

  function project(s) {
    const key = [got.dataKey, pair(s).join()].join("|");
    const data = got.data;
    if (!data || key === got.projKey) return got.points;
    got.projKey = key;
    const [i, j] = pair(s);
    got.points = { train: data.train_x.map((x) => [x[i], x[j]]), test: data.test_x.map((x) => [x[i], x[j]]),
                   trainY: data.train_y, testY: data.test_y };
    return got.points;
  }

  // the play loop's heatmap request (re)sent whenever what it asks for changes
  function syncPlayGrid(s, force = false) {
    const req = playGridRequest(s, got.data);
    const key = JSON.stringify([req, s.snapshot && s.snapshot.layers]);
    if (!force && key === seen.playGridKey) return;
    seen.playGridKey = key;
    client.send({ type: "grid", request: req });
  }

  // ---- what the play loop sends
  let lastDigits = 0;
  function onSnapshot(msg) {
    if (msg.grid) {
      got.grid = unscale(msg.grid);
      got.refreshes++;
      invalidate();
    }
    const now = performance.now();
    if (isDigits(store.get()) && now - lastDigits > 1000) { lastDigits = now; refreshDigits(); }
  }

  // ---- drawing
  function drawData(s) {
    const sn = s.snapshot;
    const data = got.data;
    putData($("data-view"), "mode", !plotted(s) ? "none" : isDigits(s) ? "digits" : "plot");
    put(plotSvg.style, "display", !plotted(s) || isDigits(s) ? "none" : ""); // (an svg has no `hidden` property)
    put($("digits"), "hidden", !isDigits(s));
    put($("feature-pick"), "hidden", !sn || sn.layers[0] <= 2 || isDigits(s));
    if (!sn || !data || !plotted(s)) return false;
    if (isDigits(s)) {
      const n = Math.min(DIGIT_SAMPLES, data.test_x.length);
      drawDigits($("digits"), { images: data.test_x.slice(0, n), actual: data.test_y.slice(0, n),
                                predicted: got.predicted, classes: data.classes, key: got.dataKey });
      return false;
    }
    const [i, j] = pair(s);
    const grid = got.grid;
    const g = grid && grid.features && grid.features[0] === i && grid.features[1] === j &&
      grid.outputs.length === sn.layers[sn.layers.length - 1] ? grid : null;
    const last = sn.activations[sn.activations.length - 1];
    const step = animator.step;
    const sample = !s.playing && step && step.sample && step.granularity === "sample" ? step.sample : null;
    const span = data.kind === "regression" ? Math.max(1e-9, ...data.train_y.map(Math.abs)) : 1;
    plot.draw({ points: project(s), kind: data.kind, classCount: data.classes ? data.classes.length : 0,
                grid: g, outLo: last === "sigmoid" || last === "softmax" ? 0 : -1, span,
                discretize: s.page.discretize, highlight: sample ? [sample.x[i], sample.x[j]] : null,
                highlightIndex: sample ? sample.index : null,
                names: data.features ? [data.features[i], data.features[j]] : null });
    putData(plotSvg, "refreshes", String(got.refreshes));
    return false;
  }
  scheduler.add("data", () => drawData(store.get()));
  scheduler.add("thumbs", () => {
    const s = store.get();
    const layout = networkView.layout;
    const grid = got.grid;
    const g = s.snapshot && s.snapshot.layers[0] === 2 && plotted(s) ? grid : null;
    const fits = g && g.neurons && layout && g.neurons.every((nodes, l) => nodes.length === layout.layers[l + 1]);
    const key = [layout, fits ? g : null, s.page.discretize];
    if (seen.thumbKey && key.every((v, i) => v === seen.thumbKey[i])) return false;
    seen.thumbKey = key;
    thumbs.draw(layout, fits ? g : null, s.snapshot ? s.snapshot.activations : null, s.page.discretize);
    return false;
  });

  // ---- the store: new data, new weights, controls' values
  store.subscribe((s) => {
    scheduler.invalidate("thumbs");
    if (s.phase !== "ready" || !s.snapshot) { controls.sync(s); return; }
    if (s.snapshot.settings.dataset === "custom") pyHasCustom = true;
    const key = JSON.stringify([DATA_SETTINGS.map((k) => s.snapshot.settings[k]), s.snapshot.train_size,
                                s.snapshot.test_size, s.snapshot.features, s.page.preset, editCount]);
    if (key !== got.dataKey) {
      got.dataKey = key; got.data = null; got.grid = null; fetchData(key);
      // own data split anew (another seed or train_ratio): keep that split for a reload
      const sp = kept.split, now = s.snapshot.settings;
      if (now.dataset === "custom" && sp && (sp.seed !== now.seed || sp.train_ratio !== now.train_ratio)) own.save().catch(() => {});
    }
    else if (!s.playing && (s.snapshot !== seen.snap || s.page.features !== seen.features)) refreshGrid();
    seen.snap = s.snapshot;
    seen.features = s.page.features;
    syncPlayGrid(s, s.playing && !seen.playing);
    // while playing, the play loop's grids redraw the plot; other changes only when they matter
    if (!s.playing || s.playing !== seen.playing || s.page !== seen.page) invalidate();
    seen.playing = s.playing;
    seen.page = s.page;
    controls.sync(s);
  });

  return {
    /** The build request for the hash's dataset=custom: the own data kept in this browser (or null). */
    restore: own.restore,
    /** Each play-loop snapshot (its heatmap grid, if any). */
    onSnapshot,
    /** window.pynet additions (README "Data and heatmap"). */
    api: { loadCSV: (text) => own.loadCSV(text), addPoint: own.addPoint, exportData: own.exportData },
  };
}
