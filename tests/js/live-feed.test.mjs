// js/live-feed.js: the play loop's snapshots on the page, with a fake store and scheduler.
import { test } from "node:test";
import assert from "node:assert/strict";
import { site } from "./site.mjs";

const { createLiveFeed } = await site("live-feed.js");
const { createStore } = await site("store.js");

function setUp() {
  const store = createStore({ playing: true, snapshot: { epoch: 0, cursor: 0, epoch_size: 10, train_loss: 1 } });
  const invalidated = [];
  const feed = createLiveFeed({ store, scheduler: { invalidate: (name) => invalidated.push(name) } });
  return { store, feed, invalidated };
}
const snap = (seq, fields = {}) => ({ type: "snapshot", seq, epoch: 0, cursor: seq, epoch_size: 10, steps: 1,
  workerMs: seq, weights: new Float64Array([seq]), glow: null, busy: { train: seq }, ...fields });

test("the latest weights are the live ones, the glow kept from the last snapshot that had one", () => {
  const { feed, invalidated } = setUp();
  assert.equal(feed.live, null);
  const glow = new Float64Array([0.5]);
  feed.receive(snap(1, { glow }));
  feed.receive(snap(2));
  assert.equal(feed.live.weights[0], 2);
  assert.equal(feed.live.glow, glow);
  assert.ok(invalidated.filter((n) => n === "network").length >= 2);
  feed.clear();
  assert.equal(feed.live, null);
});

test("snapshots with losses reach the store at once; a new epoch without them waits its turn", () => {
  const { store, feed } = setUp();
  feed.receive(snap(1, { epoch: 1, train_loss: 0.5, test_loss: 0.6 }));
  assert.equal(store.get().snapshot.train_loss, 0.5);
  assert.equal(store.get().snapshot.epoch, 1);
  feed.receive(snap(2, { epoch: 2 })); // within STORE_EVERY_MS of the last: deferred
  assert.equal(store.get().snapshot.epoch, 1);
  feed.receive(snap(3, { epoch: 3, train_loss: 0.4, test_loss: 0.45 }));
  assert.equal(store.get().snapshot.epoch, 3);
});

test("the same epoch without losses leaves the store alone", () => {
  const { store, feed } = setUp();
  const before = store.get().snapshot;
  feed.receive(snap(1));
  assert.equal(store.get().snapshot, before);
});

test("listeners hear every snapshot, the figures' before the store follows it, the rest after", () => {
  const { store, feed } = setUp();
  const heard = [];
  feed.listen((m) => heard.push(["after", m.seq, store.get().snapshot.epoch]));
  feed.listen((m) => heard.push(["before", m.seq, store.get().snapshot.epoch]), { before: true });
  feed.receive(snap(1, { epoch: 4, train_loss: 0.3, test_loss: 0.3 }));
  assert.deepEqual(heard, [["before", 1, 0], ["after", 1, 4]]);
});

test("stats count the snapshots, the median worker time and the play loop's busy time with its epoch", () => {
  const { feed } = setUp();
  for (const ms of [5, 1, 9]) feed.receive(snap(ms));
  assert.equal(feed.snapshots, 3);
  assert.equal(feed.workerMsMedian, 5);
  assert.deepEqual(feed.workerBusy, { train: 9, epoch: 0 });
});
