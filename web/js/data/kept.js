// Own data kept between visits: the CSV text of export_data in this browser's
// localStorage, and beside it {chars (the CSV's length, to match it), shape,
// split} from export_data: Python's shape of the data (to draw it before Python
// is ready) and the train/test split the user saw (load_csv takes it back).
import buildInfo from "../build-info.js";

/** Where own data is kept between visits (the CSV text of export_data). */
export const STORAGE_KEY = "pynet.data";
/** Where its shape and split are kept. */
export const META_KEY = "pynet.data.meta";

function readStored() {
  try { return localStorage.getItem(STORAGE_KEY); } catch { return null; }
}

const count = (v, most) => Number.isInteger(v) && v >= 1 && v <= most;
function readMeta() {
  try {
    const csv = localStorage.getItem(STORAGE_KEY);
    const m = JSON.parse(localStorage.getItem(META_KEY));
    const shape = m && m.shape;
    const { limits } = buildInfo.settings;
    const { csv_features: features, csv_classes: classes } = limits;
    // a hand-edited or stale entry is not drawn from: Python answers soon anyway
    const nodes = shape && shape.hidden_nodes;
    const fits = csv && m && m.chars === csv.length && shape && count(shape.inputs, features) &&
      shape.outputs && Object.values(shape.outputs).every((n) => count(n, classes)) && count(shape.outputs.auto, classes) &&
      Array.isArray(nodes) && nodes.length === 2 && count(nodes[0], nodes[1]) && count(nodes[1], limits.hidden_nodes_wide[1]);
    return fits ? m : null;
  } catch { return null; }
}
let meta = readMeta();
/** Own data's shape as Python gave it when it was kept (null: none kept, or kept without it). */
export const storedShape = () => (meta ? meta.shape : null);

/** The kept CSV (read once) and its split; keep() writes export_data's answer. */
export function createKept() {
  let stored = readStored();
  const listeners = [];
  return {
    /** The kept CSV text (null: none). */
    get csv() { return stored; },
    /** The train/test split kept with it (null: none). */
    get split() { return meta ? meta.split : null; },
    /** Keep export_data's answer {csv, shape, split}; returns the storage's refusal (null: kept).
     * Then fn() for each listen(fn), either way. */
    keep(r) {
      let refused = null;
      try {
        localStorage.removeItem(META_KEY); // never beside another CSV
        meta = null;
        localStorage.setItem(STORAGE_KEY, r.csv);
        stored = r.csv;
        const m = { chars: r.csv.length, shape: r.shape, split: r.split };
        localStorage.setItem(META_KEY, JSON.stringify(m));
        meta = m;
      } catch (e) {
        refused = e;
      }
      for (const fn of listeners) fn();
      return refused;
    },
    /** fn() after every keep (what the controls show of the kept data may have changed). */
    listen(fn) { listeners.push(fn); },
  };
}
