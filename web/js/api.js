// window.pynet: the automation API for headless tests and embedding (see README).

export function installApi(target, { ready, trainer, setState, store, timings, stepSample, stepWith,
                                     view, seek, select, editWeight, tour, stats, share,
                                     crashWorker, memory, request, recoveryCopies }, extra = {}) {
  const api = Object.freeze({
    /** Resolves (with the first state) once Python is loaded and the network built. */
    ready,
    /** Train n epochs; resolves to {epoch, train_loss, test_loss, ...}. */
    step: (n = 1) => ready.then(() => trainer.step(n)),
    play: () => trainer.play(),
    /** Resolves once training has stopped and the page shows the final state. */
    pause: () => trainer.pause(),
    /** A fresh JSON snapshot from Python: epoch, losses, settings, layers, weights, biases. */
    state: () => ready.then(() => trainer.request({ op: "state" })),
    /** Merge settings (Python's, or the page's own: shares, speed, granularity, preset) and apply; rejects with a message on bad input. */
    setState: (settings) => setState(settings),
    /** Train exactly one sample (the next in the epoch's order) with the four-phase animation; resolves to its trace when the animation ends. */
    stepSample,
    /** Like stepSample for "sample" | "batch" | "epoch". */
    stepWith,
    /** What the network view draws now: {phase, kind, sample, edges: [{l, k, j, weight, share}], nodes: [{l, j, activation, error}]}. */
    view,
    /** Freeze the animation clock in `phase` at fraction u (null releases it); for screenshots and the tour. */
    seek,
    /** Select {type: "edge", l, k, j} or {type: "node", l, j} for the explain panel (null clears). */
    select,
    /** Set weight (l, k, j) from text as typed; resolves to an error message or null. */
    editWeight,
    /** The chapter tour: show(i), index. */
    tour,
    /** Frames, fps while drawing, per-view p95 draw ms, longest frame, play-loop snapshots, worker ms per slice, workerBusy: the play loop's ms by kind since Play (train, losses, glow, grid, snapshots, post, since) and its epoch. */
    stats,
    /** The trained model as JSON text (Network.to_dict plus a "playground" key). */
    exportModel: () => share.exportModel(),
    /** Replace the network by a saved one (JSON text or object); resolves to the state, rejects with pynet's message (the model unchanged). */
    loadModel: (json) => share.loadModel(json),
    /** A CPython script that rebuilds the network with pynet and prints its outputs. */
    exportPython: () => share.exportPython(),
    /** Why the gradient of weight {l, k, j} is right: the chain rule's paths on the last step's samples
     * (or the next sample): {paths: [{nodes, factors, product}] (the 50 largest), count, sum, gradient,
     * multiplications: {paths, backprop}, samples, at, rows}; rejects with pynet's message. */
    paths: (w) => ready.then(() => request({ ...(w || {}), op: "paths" })),
    /** The loss with weight {l, k, j} moved by ±eps (default 1e-4), computed on a copy: {loss_minus,
     * loss_plus, numeric, gradient, agree_digits, eps, loss, linear_guess?}; state() is unchanged. */
    nudge: (w, eps = 1e-4) => ready.then(() => request({ ...(w || {}), eps, op: "nudge" })),
    /** pynet's outputs (and classes) for points as the network sees them (facade op predict). */
    predict: (points) => ready.then(() => trainer.request({ op: "predict", points })),
    /** Page phase: "loading" | "ready" | "error". */
    get phase() { return store.get().phase; },
    /** Milliseconds since navigation: layout drawn, Python ready, first epoch shown. */
    timings,
    /** TEST ONLY: make the Python worker crash (as a fatal Python failure would); the page recovers. */
    _crashWorker: () => crashWorker(),
    /** TEST ONLY: one raw facade request through the page's queue (resolves to the answer, rejects with its error). */
    _request: (req) => ready.then(() => request(req)),
    /** TEST ONLY: the page's own copies of settings, data and weights (recovery.js). */
    _recoveryCopies: () => recoveryCopies(),
    /** {jsHeapBytes (Chromium only, else null), wasmBytes (the worker's Pyodide heap)}: for the soak benchmark. */
    memory: () => memory(),
    // Additions passed in by feature modules (each documents its own):
    // data-panel.js: loadCSV(text) -> the new state (rejects with Python's message
    // naming line and column), addPoint(x1, x2, label) -> the new state,
    // exportData() -> CSV text.
    ...extra,
  });
  target.pynet = api;
  return api;
}
