// JS heap (Chromium's performance.memory) and the worker's wasm heap, for the soak benchmark.
export function createMemoryProbe(client) {
  const waiters = [];
  return {
    /** Resolves to {jsHeapBytes, wasmBytes}. */
    probe() {
      return new Promise((resolve) => {
        const perf = /** @type {any} */ (performance); // memory: Chromium only
        waiters.push((msg) => resolve({
          jsHeapBytes: perf.memory ? perf.memory.usedJSHeapSize : null, wasmBytes: msg.wasmBytes }));
        client.send({ type: "memory" });
      });
    },
    /** The worker's {type: "memory"} answer. */
    answered(msg) { waiters.splice(0).forEach((f) => f(msg)); },
  };
}
