// The data side's controls: features, discretize, own data's buttons and CSV
// input, and what they show (syncControls) for the store's state.
import { fitHidden } from "../settings.js";
import { STORAGE_KEY, storedShape } from "./kept.js";
import { isDigits, pair } from "./requests.js";

export function bindDataControls(doc, { store, kept, own, say, setPage, hasCustom }) {
  const $ = (id) => doc.getElementById(id);
  const input = (id) => /** @type {HTMLInputElement} */ ($(id));
  let controlsKey = null; // what sync last showed

  /** Show state s in the controls (only when what they show changed). */
  function sync(s) {
    const sn = s.snapshot;
    const stored = kept.csv;
    const key = [s.phase, sn && sn.settings, sn && sn.layers, sn && sn.scaling, s.page, stored, hasCustom()];
    if (controlsKey && key.every((v, i) => v === controlsKey[i])) return;
    controlsKey = key;
    input("discretize").checked = s.page.discretize;
    const custom = /** @type {HTMLOptionElement | null} */ ($("dataset").querySelector('option[value="custom"]'));
    if (custom) custom.disabled = !(stored || hasCustom());
    $("data-scaling").textContent = sn && sn.scaling ? `Input scaling: ${sn.scaling}.` : "";
    $("data-storage").textContent = stored
      ? `Your own data (${stored.trim().split("\n").length - 1} points) is kept in this browser's localStorage under the key “${STORAGE_KEY}”; it never leaves this computer.`
      : `Your own data, once you add points or load a CSV, is kept in this browser's localStorage under the key “${STORAGE_KEY}”.`;
    if (!sn) return;
    const names = sn.features || [];
    const [i, j] = pair(s);
    for (const [id, v] of [["feature-x", i], ["feature-y", j]]) {
      const sel = input(id);
      if (sel.dataset.names !== names.join("|")) {
        sel.replaceChildren(...names.map((n, k) => new Option(n, String(k))));
        sel.dataset.names = names.join("|");
      }
      sel.value = String(v);
    }
    const cls = input("point-class");
    const classes = sn.classes || [];
    if (cls.dataset.names !== classes.join("|")) {
      cls.replaceChildren(...classes.map((n) => new Option(n, n)));
      cls.dataset.names = classes.join("|");
      if (classes.length > 1) cls.value = classes[classes.length - 1];
    }
    // clicking the plot adds points only where a point is two numbers as the user gives them
    const editable = sn.layers[0] === 2 && !s.page.preset;
    $("class-label").hidden = !editable || !classes.length;
    $("target-label").hidden = !editable || sn.kind !== "regression";
    $("remove-mode").hidden = !editable;
    $("data-view").classList.toggle("editable", editable);
    $("data-hint").hidden = !editable;
    $("data-legend").hidden = isDigits(s);
    $("discretize").parentElement.hidden = isDigits(s);
  }

  $("discretize").addEventListener("change", (e) => setPage({ discretize: /** @type {HTMLInputElement} */ (e.target).checked }));
  const pick = () => {
    const i = input("feature-x").value, j = input("feature-y").value;
    if (i === j) { say("Choose two different features for the axes."); return; }
    setPage({ features: `${i},${j}` });
  };
  $("feature-x").addEventListener("change", pick);
  $("feature-y").addEventListener("change", pick);
  $("data-clear").addEventListener("click", () => own.clearData().then(() => say("Cleared: no points left.")).catch((e) => say(e.message, true)));
  $("data-export").addEventListener("click", async () => {
    const csv = await own.exportData();
    const a = doc.createElement("a");
    a.href = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
    a.download = "pynet-data.csv";
    doc.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  $("csv-load").addEventListener("click", () => own.loadCSV(input("csv-text").value).catch((e) => say(e.message, true)));
  $("csv-file").addEventListener("change", async (e) => {
    const target = /** @type {HTMLInputElement} */ (e.target);
    const file = target.files[0];
    if (!file) return;
    const text = await file.text();
    own.loadCSV(text).catch((err) => say(`${file.name}: ${err.message}`, true));
    target.value = "";
  });
  // "your data" when Python has none yet (a fresh visit): load the kept CSV instead
  $("dataset").addEventListener("change", (e) => {
    if (/** @type {HTMLSelectElement} */ (e.target).value !== "custom" || hasCustom()) return;
    e.stopImmediatePropagation();
    const text = kept.csv;
    if (!text) { say("There is no own data yet: click the plot or load a CSV.", true); sync(store.get()); return; }
    const fit = fitHidden(store.get().settings.hidden, "custom", storedShape());
    own.loadCSV(text, kept.split, fit.note ? { hidden: fit.hidden } : {})
      .then(() => { if (fit.note) say(fit.note); }).catch((err) => say(err.message, true));
  }, { capture: true });

  return { sync };
}
