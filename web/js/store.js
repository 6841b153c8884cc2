// The page's single source of truth. Views subscribe and re-render from a snapshot.

export function createStore(initial) {
  let state = Object.freeze({ ...initial });
  const listeners = new Set();
  return {
    get: () => state,
    set(patch) {
      state = Object.freeze({ ...state, ...patch });
      for (const fn of listeners) fn(state);
    },
    subscribe(fn) { listeners.add(fn); fn(state); return () => listeners.delete(fn); },
  };
}
