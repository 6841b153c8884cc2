// The page's one clock: the only requestAnimationFrame. Views register a draw
// function by name; store changes and worker messages only invalidate(name).
// A frame draws the dirty views and those that say they are animating.

export function createScheduler(raf = (f) => requestAnimationFrame(f)) {
  const views = new Map(); // name -> {draw, dirty}
  let pending = false;
  const stats = { frames: 0, drawMs: {}, longestFrameMs: 0, frameTimes: [] };

  function frame(now) {
    pending = false;
    let again = false;
    const t0 = performance.now();
    for (const [name, v] of views) {
      if (!v.dirty) continue;
      v.dirty = false;
      const s = performance.now();
      // draw returns true while it animates: it is drawn again next frame (only true:
      // a view that returns what it drew must not be redrawn every frame for it)
      if (v.draw(now) === true) { v.dirty = true; again = true; }
      const ms = performance.now() - s;
      const d = stats.drawMs[name] || (stats.drawMs[name] = []);
      d.push(ms);
      if (d.length > 240) d.shift();
    }
    stats.frames++;
    stats.frameTimes.push(now);
    if (stats.frameTimes.length > 240) stats.frameTimes.shift();
    stats.longestFrameMs = Math.max(stats.longestFrameMs, performance.now() - t0);
    if (again) request();
  }
  function request() {
    if (!pending) { pending = true; raf(frame); }
  }
  return {
    /** Register a view: draw(now) -> true to be drawn again next frame. */
    add(name, draw) { views.set(name, { draw, dirty: true }); request(); },
    /** Mark a view for redrawing at the next frame. */
    invalidate(name) { const v = views.get(name); if (v) { v.dirty = true; request(); } },
    /** Frames drawn, per-view draw times (last 240), the longest frame's work in ms. */
    stats() {
      const p95 = (a) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.floor(0.95 * (s.length - 1))] : 0; };
      const ft = stats.frameTimes;
      const fps = ft.length > 1 ? (1000 * (ft.length - 1)) / (ft[ft.length - 1] - ft[0]) : 0;
      return { frames: stats.frames, fps, longestFrameMs: stats.longestFrameMs,
               p95DrawMs: Object.fromEntries(Object.entries(stats.drawMs).map(([k, a]) => [k, p95(a)])) };
    },
  };
}
