// Speed governs Play: below 1× the page trains one epoch per tick at a rate a person
// can watch (each epoch then lands as a whole snapshot, as after Step: the heatmap,
// the loss chart and the explain panel's live values follow it); from 1× up Play is
// the worker's own loop, as fast as it trains (runtime.js), as before.
// settings.js accepts speeds 0.25–8, so the watchable rates are the three steps below 1×.

/** Epochs a second Play trains at `speed`, or null for "as fast as the worker trains". */
export function playRate(speed) {
  if (!(speed < 1)) return null;
  return 2 ** Math.round(4 * Math.max(0.25, speed)); // 0.25 → 2, 0.5 → 4, 0.75 → 8 epochs/s
}

/** A paced play loop over `trainer` (trainer.js). The store's `paced` is true while it runs;
 * `playing` stays false, so the page treats each epoch as a step at rest. */
export function createPacedPlay({ store, trainer, onMax = () => {}, now = () => performance.now(), sleep = (ms) => new Promise((r) => setTimeout(r, ms)) }) {
  let running = null; // the loop's promise while it runs
  let stopAsked = false;

  async function loop() {
    let toMax = false;
    while (!stopAsked) {
      const rate = playRate(store.get().page.speed);
      if (rate === null) { toMax = true; break; } // the speed went up to max: the worker's loop takes over
      if (store.get().phase !== "ready") break;
      const t0 = now();
      let snap;
      try {
        snap = await trainer.step(1);
      } catch (e) {
        break; // pynet refused (diverged, a stop condition): the notice says why
      }
      if (snap && snap.stopped) break;
      const wait = 1000 / rate - (now() - t0);
      if (wait > 0 && !stopAsked) await sleep(wait);
    }
    running = null;
    stopAsked = false;
    if (store.get().paced) store.set({ paced: false });
    if (toMax) onMax();
  }

  return {
    get running() { return Boolean(running); },
    /** Start unless running; false when the speed asks for the worker's own loop. */
    start() {
      if (running) return true;
      if (playRate(store.get().page.speed) === null) return false;
      stopAsked = false;
      store.set({ paced: true });
      running = loop();
      return true;
    },
    /** Stop after the epoch in flight; resolves when the loop has ended. */
    async stop() {
      if (!running) return;
      stopAsked = true;
      await running;
    },
  };
}

/** The buttons and the speed's Play rate while the paced loop runs (after controls.js). */
export function bindPacedControls(doc, store) {
  const $ = (id) => doc.getElementById(id);
  store.subscribe((s) => {
    const rate = playRate(s.page.speed);
    const out = $("speed-play");
    if (out) {
      const text = rate === null ? "Play: max" : `Play: ${rate} epochs/s`;
      if (out.textContent !== text) out.textContent = text;
    }
    if (!s.paced) return;
    $("play").disabled = true;
    $("pause").disabled = false;
    $("step").disabled = true;
  });
}
