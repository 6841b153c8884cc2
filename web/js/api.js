// window.pynet: the automation API for headless tests and embedding (see README).

export function installApi(target, { ready, trainer, setState, store, timings }) {
  const api = Object.freeze({
    /** Resolves (with the first state) once Python is loaded and the network built. */
    ready,
    /** Train n epochs; resolves to {epoch, train_loss, test_loss, ...}. */
    step: (n = 1) => ready.then(() => trainer.step(n)),
    play: () => trainer.play(),
    /** Resolves once training has stopped (the epoch in flight finishes). */
    pause: () => trainer.pause(),
    /** A fresh JSON snapshot from Python: epoch, losses, settings, layers, weights, biases. */
    state: () => ready.then(() => trainer.request({ op: "state" })),
    /** Merge settings over the current ones and rebuild; rejects with a message on bad input. */
    setState: (settings) => setState(settings),
    /** Page phase: "loading" | "ready" | "error". */
    get phase() { return store.get().phase; },
    /** Milliseconds since navigation: layout drawn, Python ready, first epoch shown. */
    timings,
  });
  target.pynet = api;
  return api;
}
