// The model controls' events -> setState (so the URL hash mirrors every change).
// A refused value (the page's check or pynet's) shows a message naming the
// setting, and the control goes back to the value in force: nothing changes.
import { buildModelPanel, renderModelPanel, renderModelMessage, FIELDS } from "./views/model-panel.js";
import { LIMITS, nodeLimits } from "./settings.js";

export function bindModelControls(doc, store, { setState }) {
  const root = doc.getElementById("model");
  if (!root) return null;
  buildModelPanel(root);
  const $ = (id) => doc.getElementById(id);
  const render = () => {
    const s = store.get();
    renderModelPanel(root, { settings: s.settings, snapshot: s.snapshot, phase: s.phase,
                             focused: doc.activeElement });
  };

  async function apply(partial) {
    renderModelMessage(root, null);
    try {
      await setState(partial);
    } catch (e) {
      renderModelMessage(root, e.message.replace(/^setState: /, ""));
    }
    render(); // the values in force (the refused one reverts)
  }

  for (const f of FIELDS) {
    const input = $(`m-${f.key}`);
    input.addEventListener("change", () => {
      if (f.kind === "checkbox") return apply({ [f.key]: input.checked });
      // numbers go as typed: settings.js and pynet check them and name the setting
      return apply({ [f.key]: input.value.trim() });
    });
  }
  $("m-regenerate").addEventListener("click", () => {
    const [lo, hi] = LIMITS.seed;
    const now = store.get().settings.seed;
    let seed = now;
    while (seed === now) seed = lo + Math.floor(Math.random() * Math.min(hi - lo, 1e6));
    apply({ seed });
  });

  // ---- the hidden layers: add/remove a layer, +/- nodes, activation per layer
  const settingsNow = () => store.get().settings;
  const acts = (hidden, activation) => { // keep one activation per layer when the count changes
    if (!Array.isArray(activation)) return activation;
    if (hidden.length === 0) return activation[0];
    return hidden.map((_, i) => activation[Math.min(i, activation.length - 1)]);
  };
  function setHidden(hidden) {
    const { activation } = settingsNow();
    const next = acts(hidden, activation);
    return apply(next === activation ? { hidden } : { hidden, activation: next });
  }
  $("m-add-layer").addEventListener("click", () => {
    const { hidden } = settingsNow();
    const snap = store.get().snapshot;
    const [lo, hi] = nodeLimits(snap, settingsNow().dataset);
    setHidden([...hidden, Math.max(lo, Math.min(hi, hidden.length ? hidden[hidden.length - 1] : 2))]);
  });
  $("m-remove-layer").addEventListener("click", () => setHidden(settingsNow().hidden.slice(0, -1)));
  $("m-layer-list").addEventListener("click", (e) => {
    const button = e.target.closest("button");
    if (!button) return;
    const i = Number(button.closest("li").dataset.layer);
    const hidden = [...settingsNow().hidden];
    hidden[i] += button.classList.contains("more") ? 1 : -1;
    setHidden(hidden);
  });
  $("m-layer-list").addEventListener("change", (e) => {
    if (!e.target.classList.contains("layer-activation")) return;
    const i = Number(e.target.closest("li").dataset.layer);
    const { hidden, activation } = settingsNow();
    const list = hidden.map((_, n) => (Array.isArray(activation) ? activation[n] : activation));
    list[i] = e.target.value;
    apply({ activation: list });
  });
  $("m-per-layer").addEventListener("change", (e) => {
    const { hidden, activation } = settingsNow();
    const one = Array.isArray(activation) ? activation[0] : activation;
    apply({ activation: e.target.checked ? hidden.map(() => one) : one });
  });

  // redraw when what the panel shows changes, not on every play-loop snapshot
  let shown = null;
  store.subscribe((s) => {
    const key = [s.settings, s.phase, s.snapshot && s.snapshot.kind, s.snapshot && s.snapshot.layers[0]];
    if (shown && key.every((v, i) => v === shown[i])) return;
    shown = key;
    render();
  });
  return { render };
}
