// What the data side asks Python for, as pure functions of the page's state:
// the heatmap's grid request (still, and the play loop's), and a grid answer
// sent "scaled" turned back into values.
import buildInfo from "../build-info.js";

/** How many digit images are drawn (and predicted). */
export const DIGIT_SAMPLES = 40;
export const PLAY_GRID_N = 25, STILL_GRID_N = 50;

/** Python built the digits (what it built, not what is asked). */
export const isDigits = (s) => Boolean(s.snapshot) && s.snapshot.settings.dataset === "digits";
/** The data is plotted (not under a preset). */
export const plotted = (s) => Boolean(s.snapshot) && !s.page.preset;
/** The two plotted features (the page's `features`, or the first two when they do not fit). */
export const pair = (s) => {
  const n = s.snapshot ? s.snapshot.layers[0] : 2;
  const [i, j] = s.page.features.split(",").map(Number);
  return i < n && j < n ? [i, j] : [0, 1];
};

/** The grid request for an n×n heatmap of state s (null: nothing to draw); `data`: the data op's answer. */
export function gridRequest(s, n, data) {
  const sn = s.snapshot;
  if (!plotted(s) || isDigits(s) || !sn) return null;
  const layers = sn.layers;
  const params = layers.slice(1).reduce((a, v, i) => a + v * layers[i] + v, 0);
  const { grid_work: work, grid: [lo, hi] } = buildInfo.settings.limits;
  const size = Math.max(lo, Math.min(n, hi, Math.floor(Math.sqrt(work / params))));
  const req = { op: "grid", n: size, features: pair(s), neurons: layers[0] === 2, digits: 3 };
  if (sn.settings.dataset === "custom" && layers[0] === 2) {
    // own 2-D data keeps the 2-D sets' ±6 plane while its points fit in it, so the
    // plot does not jump as points are clicked in (else Python's default: the data's range)
    const all = data ? [...data.train_x, ...data.test_x] : [];
    if (all.every((x) => Math.abs(x[0]) <= 6 && Math.abs(x[1]) <= 6)) {
      Object.assign(req, { x_range: [-6, 6], y_range: [-6, 6] });
    }
  }
  return req;
}

/** The play loop's grid request: smaller, and integers (cheaper for Python to round and send). */
export function playGridRequest(s, data) {
  const req = s.phase === "ready" ? gridRequest(s, PLAY_GRID_N, data) : null;
  if (req) Object.assign(req, { digits: 2, scaled: true }); // decoded by unscale
  return req;
}

/** A grid answered with "scaled": true holds round(v * scale): back to the values. */
export function unscale(g) {
  if (!g.scale) return g;
  const back = (col) => col.map((v) => (v == null ? null : v / g.scale));
  const out = { ...g, outputs: g.outputs.map(back), scale: undefined };
  if (g.neurons) out.neurons = g.neurons.map((layer) => layer.map(back));
  return out;
}
