// js/scheduler.js: the page's one clock, with a fake requestAnimationFrame.
import { test } from "node:test";
import assert from "node:assert/strict";
import { site } from "./site.mjs";

const { createScheduler } = await site("scheduler.js");

function clock() {
  const queued = [];
  return { raf: (f) => queued.push(f), tick(now = 16) { const fs = queued.splice(0); fs.forEach((f) => f(now)); return fs.length; } };
}

test("a view is drawn at the next frame after it is added or invalidated, once per frame", () => {
  const c = clock();
  const s = createScheduler(c.raf);
  const drawn = [];
  s.add("a", (now) => { drawn.push(now); });
  s.invalidate("a");
  s.invalidate("a");
  assert.equal(c.tick(16), 1); // one frame requested, however many invalidations
  assert.deepEqual(drawn, [16]);
  assert.equal(c.tick(), 0); // nothing dirty: no frame asked for
});

test("a view that returns true is drawn again next frame; only true counts", () => {
  const c = clock();
  const s = createScheduler(c.raf);
  let frames = 0, other = 0;
  s.add("anim", () => ++frames < 3);
  s.add("still", () => { other++; return "drew something"; });
  c.tick(); c.tick(); c.tick(); c.tick();
  assert.equal(frames, 3);
  assert.equal(other, 1);
});

test("invalidating an unknown view does nothing", () => {
  const c = clock();
  const s = createScheduler(c.raf);
  s.invalidate("nobody");
  assert.equal(c.tick(), 0);
  assert.equal(s.stats().frames, 0);
});

test("stats count the frames and each view's draw times", () => {
  const c = clock();
  const s = createScheduler(c.raf);
  s.add("a", () => {});
  c.tick(0);
  s.invalidate("a");
  c.tick(1000);
  const st = s.stats();
  assert.equal(st.frames, 2);
  assert.equal(st.fps, 1);
  assert.ok("a" in st.p95DrawMs);
});
