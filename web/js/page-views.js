// The network view, its caption and the explain panel as the scheduler's
// views: each frame is read from the store, the animator and the live feed.
import { renderPhases } from "./views/phases.js";
import { layerSizes } from "./settings.js";
import { createNetworkView } from "./views/network.js";
import { renderStatus } from "./views/status.js";
import { renderCaption } from "./views/caption.js";
import { renderExplain } from "./views/explain.js";
import { flatten } from "./protocol.js";
import { num } from "./math.js";

const PRESET_LAYERS = { chapter: [4, 2], wide: [64, 32, 10] };

export function createPageViews(doc, { store, scheduler, animator, feed, stepper, storedShape, timings }) {
  const reduced = matchMedia("(prefers-reduced-motion: reduce)");
  const select = (sel) => store.set({ selected: sel });
  const inputName = (s) => (s.page.preset === "chapter" && s.snapshot ? "h" : "x");
  // null: own data kept without its shape, drawn once Python answers
  const layersNow = (s) => (s.snapshot ? s.snapshot.layers
    : PRESET_LAYERS[s.page.preset] || layerSizes(s.settings, storedShape()));
  let flatOf = { snap: null, weights: null };
  const snapshotWeights = (snap) => {
    if (!snap) return null;
    if (flatOf.snap !== snap) flatOf = { snap, weights: flatten(snap.weights) };
    return flatOf.weights;
  };

  const tip = doc.getElementById("edge-tip");
  const view = createNetworkView({
    stage: doc.getElementById("stage"),
    canvas: doc.getElementById("edges"),
    svg: doc.getElementById("network"),
    onSelect: select,
    onHover: (h) => {
      if (!h || h.weight == null) { tip.hidden = true; return; }
      const r = doc.getElementById("stage").getBoundingClientRect();
      tip.textContent = `w${h.k + 1}${h.j + 1} (layer ${h.l}) = ${num(h.weight)}${h.share != null ? `, share ${num(h.share)}` : ""} — click to explain or edit`;
      tip.style.left = `${Math.min(h.clientX - r.left + 12, r.width - 260)}px`;
      tip.style.top = `${h.clientY - r.top + 12}px`;
      tip.hidden = false;
    },
  });

  function frame(now) {
    const s = store.get();
    view.setLayers(layersNow(s), inputName(s));
    const live = feed.live;
    const playing = s.playing && live;
    return {
      weights: playing ? live.weights : snapshotWeights(s.snapshot),
      step: playing ? null : animator.step,
      clock: playing ? { phase: "idle", layer: -1, u: 1 } : animator.clock(),
      kind: s.page.shares, glow: playing ? live.glow : null, playing: s.playing,
      now, selected: s.selected, reduced: reduced.matches,
    };
  }
  let lastPhase = "idle";
  let lastWave = "idle"; // the caption and the phase indicator follow each layer of the wave
  scheduler.add("network", (now) => {
    if (!layersNow(store.get())) return false;
    const f = frame(now);
    const more = view.draw(f);
    const wave = `${f.clock.phase}:${f.clock.layer}`;
    if (wave !== lastWave) { lastWave = wave; scheduler.invalidate("caption"); scheduler.invalidate("phases"); }
    if (f.clock.phase !== lastPhase) {
      lastPhase = f.clock.phase;
      scheduler.invalidate("caption");
      if (lastPhase === "idle") scheduler.invalidate("explain");
    }
    return more;
  });
  scheduler.add("caption", () => {
    const s = store.get();
    renderCaption(doc.getElementById("caption"), {
      clock: s.playing ? null : animator.clock(), step: s.playing ? null : animator.step, kind: s.page.shares,
      playing: s.playing, snapshot: s.snapshot, preview: stepper.preview });
  });
  scheduler.add("phases", () => {
    const s = store.get();
    renderPhases(doc.getElementById("phases"), { clock: animator.clock(), step: animator.step,
                                                 playing: s.playing || s.paced });
  });
  scheduler.add("explain", () => {
    const s = store.get();
    renderExplain(doc.getElementById("explain"), {
      selection: s.selected, step: animator.step, kind: s.page.shares, weights: snapshotWeights(s.snapshot),
      layout: view.layout, preview: stepper.preview, inputName: inputName(s), playing: s.playing,
    }, { onEdit: (l, k, j, text) => stepper.editWeight(l, k, j, text), onSelect: select });
  });

  store.subscribe((s) => {
    renderStatus(doc, s);
    scheduler.invalidate("network");
    scheduler.invalidate("caption");
    scheduler.invalidate("phases");
    if (timings.firstEpoch === null && s.snapshot && s.snapshot.epoch >= 1) {
      timings.firstEpoch = performance.now();
    }
  });
  // the explain panel follows the selection, the kind and new snapshots (not every frame)
  let explainKey = null;
  store.subscribe((s) => {
    const key = [s.selected && JSON.stringify(s.selected), s.page.shares, s.playing ? null : s.snapshot, s.playing];
    if (explainKey && key.every((v, i) => v === explainKey[i])) return;
    explainKey = key;
    scheduler.invalidate("explain");
  });
  return view;
}
