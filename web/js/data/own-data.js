// Own data: add, remove, clear, load a CSV, export, each kept in this browser
// afterwards (kept.js), and the build request that restores the kept data.
import { writeHash } from "../actions.js";

export function createOwnData({ store, trainer, client, pause, kept, say, edited }) {
  /** Keep Python's own data in this browser; resolves to its CSV. */
  async function save() {
    const r = await trainer.request({ op: "export_data" });
    const refused = kept.keep(r);
    if (refused) {
      say(`Could not keep your data in this browser's storage (${refused.message}); export it as CSV to keep it.`, true);
    }
    return r.csv;
  }

  async function afterEdit() {
    edited();
    const sn = await trainer.refresh();
    store.set({ settings: sn.settings });
    writeHash(store);
    await save();
    return sn;
  }

  async function addPoint(x1, x2, label) {
    const sn = store.get().snapshot;
    if (!sn) throw new Error("addPoint: pynet is not ready yet");
    await trainer.request({ op: "add_point", x: [x1, x2], label, set: "train" });
    return afterEdit();
  }
  async function removePoint(set, index) {
    await trainer.request({ op: "remove_point", set, index });
    return afterEdit();
  }
  async function clearData() {
    await trainer.request({ op: "clear" });
    return afterEdit();
  }

  // split/settings: the kept data's split and settings its shape needs (the page's own use)
  async function loadCSV(text, split = null, settings = {}) {
    if (store.get().playing) await pause();
    const r = await trainer.request({ op: "load_csv", text, split, settings });
    edited();
    store.set({ settings: r.settings, snapshot: r, selected: null });
    writeHash(store);
    await save();
    const z = r.hidden_resized; // Python fitted the hidden sizes to the new data's limit
    say(`Loaded ${r.rows} rows: ${r.features.length} features, ${r.kind === "classes" ? `${r.classes.length} classes` : "a regression target"}.${
      z ? ` Hidden layers resized for this data, which allows ${z.nodes[0]}–${z.nodes[1]} nodes per layer: ${z.from.join(",")} → ${z.to.join(",")}.` : ""}`);
    return r;
  }
  async function exportData() {
    const r = await trainer.request({ op: "export_data" });
    return r.csv;
  }

  /** Own data kept in this browser, loaded with the hash's settings (null: none kept). */
  function restore(settings) {
    const text = kept.csv;
    if (!text) return null;
    const { dataset, ...rest } = settings;
    return client.call({ op: "load_csv", text, settings: rest, split: kept.split });
  }

  return { save, addPoint, removePoint, clearData, loadCSV, exportData, restore };
}
