// The data plot as input: click to add a point, Shift or a long press for the
// other class, Alt or the Remove mode to remove the nearest point.
const LONG_PRESS_MS = 500;

export function bindPlotInput(doc, plotSvg, plot, { store, own, say }) {
  const $ = (id) => doc.getElementById(id);
  const snap = () => store.get().snapshot;
  const removing = () => $("remove-mode").getAttribute("aria-pressed") === "true";

  /** The label of a new point: the chosen class or target (`other`: the next class, or −target). */
  function labelFor(other) {
    const sn = snap();
    if (sn.kind === "regression") {
      const v = Number(/** @type {HTMLInputElement} */ ($("point-target")).value) || 0;
      return other ? -v : v;
    }
    const classes = sn.classes;
    const k = classes.indexOf(/** @type {HTMLSelectElement} */ ($("point-class")).value);
    return other ? classes[(k + 1) % classes.length] : classes[Math.max(0, k)];
  }

  function act(ev, other) {
    const s = store.get();
    if (s.phase !== "ready" || !s.snapshot || s.snapshot.layers[0] !== 2 || s.page.preset) return;
    if (ev.altKey || removing()) {
      const hit = plot.nearest(ev);
      if (!hit) { say("No point near there to remove."); return; }
      own.removePoint(hit.set, hit.index).then(() => say(`Removed a ${hit.set} point.`)).catch((e) => say(e.message, true));
      return;
    }
    const at = plot.toData(ev);
    if (!at) return;
    const label = labelFor(other);
    own.addPoint(at[0], at[1], label).then(() => say(`Added a point of ${snap().kind === "regression" ? "target" : "class"} ${label}.`))
      .catch((e) => say(e.message, true));
  }

  let press = null;
  plotSvg.addEventListener("pointerdown", (ev) => {
    press = { x: ev.clientX, y: ev.clientY, done: false, timer: null };
    if (ev.pointerType === "touch") {
      const p = press;
      p.timer = setTimeout(() => { p.done = true; act(ev, true); }, LONG_PRESS_MS);
    }
  });
  plotSvg.addEventListener("pointermove", (ev) => {
    if (press && Math.hypot(ev.clientX - press.x, ev.clientY - press.y) > 10) { clearTimeout(press.timer); press = null; }
  });
  plotSvg.addEventListener("pointerup", (ev) => {
    if (!press) return;
    clearTimeout(press.timer);
    const p = press;
    press = null;
    if (!p.done) act(ev, ev.shiftKey);
  });
  plotSvg.addEventListener("contextmenu", (ev) => { if (store.get().snapshot && store.get().snapshot.layers[0] === 2) ev.preventDefault(); });
  $("remove-mode").addEventListener("click", (e) => {
    /** @type {HTMLElement} */ (e.currentTarget).setAttribute("aria-pressed", String(!removing()));
  });
}
