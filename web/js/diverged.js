// Divergence: when training stops because a loss or a weight stopped being a
// finite number, say what happened and why, and offer one-click recovery.
// The facade has already undone the failing slice (play) or epoch (step), so
// the network in the worker is finite and state() is consistent; this module
// only explains and restores. No network math here.

/** The explanation shown on the page (the facade's own message follows it). */
export function explainDivergence(learningRate, epoch) {
  return `Training stopped: the loss grew until it was no longer a finite number. ` +
    `The learning rate ${learningRate} is too high for this problem: each step overshoots the ` +
    `minimum by more than it corrects, so the weights grow without bound. ` +
    `Training was paused before any NaN reached the page; the network is back at ` +
    (epoch === null ? "the last step that kept it finite." : `epoch ${epoch}.`);
}

export function bindDiverged(doc, store, { trainer, recovery }) {
  const $ = (id) => doc.getElementById(id);
  const box = $("diverged");
  let busy = false;

  /** An answer or a play-loop stop with type DivergedError: show the panel and the kept state. */
  async function diverged(error) {
    const lr = store.get().settings.learning_rate;
    // set at once: recovery.js does not take a diverged state as "the last good weights"
    store.set({ playing: false, diverged: { error, learningRate: lr, epoch: null } });
    let snap = null;
    try { snap = await trainer.refresh(); } catch { /* the notice says why */ }
    store.set({ diverged: { error, learningRate: lr, epoch: snap ? snap.epoch : null },
                notice: null });
  }

  async function act(fn) {
    if (busy) return;
    busy = true;
    try {
      await fn();
      store.set({ diverged: null });
      recovery.save();
    } catch (e) {
      store.set({ notice: `Recovery failed: ${e.message}` });
    } finally {
      busy = false;
    }
  }

  const restore = () => act(async () => {
    const { copy } = await recovery.restoreSettled();
    store.set({ notice: `Restored the weights of epoch ${copy.epoch} (before the run that diverged).` });
  });
  const lower = () => act(async () => {
    const lr = store.get().diverged ? store.get().diverged.learningRate : store.get().settings.learning_rate;
    const lowered = Number((lr * 0.1).toPrecision(6));
    const { copy } = await recovery.restoreSettled({ learning_rate: lowered });
    store.set({ notice: `Learning rate lowered from ${lr} to ${lowered}; restored the weights of ` +
                        `epoch ${copy.epoch} (before the run that diverged).` });
  });
  $("diverged-restore").addEventListener("click", restore);
  $("diverged-lower").addEventListener("click", lower);

  store.subscribe((s) => {
    if (s.diverged && s.playing) { store.set({ diverged: null }); return; } // playing again: the box goes
    const d = s.diverged;
    box.hidden = !d;
    if (!d) return;
    $("diverged-text").textContent = explainDivergence(d.learningRate, d.epoch);
    $("diverged-detail").textContent = d.error;
    $("diverged-restore").disabled = s.phase !== "ready" || !recovery.copies.settled;
    $("diverged-lower").disabled = s.phase !== "ready" || d.learningRate * 0.1 < 1e-5;
  });

  return { diverged, restore, lower };
}
