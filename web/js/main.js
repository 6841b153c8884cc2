// Wiring: settings from the URL hash, one store, the scheduler's views, the
// worker client, the trainer, stepper and animator, the page's actions and
// panels, window.pynet. Each part is made after the parts it uses; the
// worker's messages are attached last, when every handler exists.
import buildInfo from "./build-info.js";
import { parseHash } from "./settings.js";
import { createStore } from "./store.js";
import { createClient } from "./client.js";
import { createTrainer } from "./trainer.js";
import { createScheduler } from "./scheduler.js";
import { createAnimator } from "./animator.js";
import { createStepper } from "./stepper.js";
import { createLiveFeed } from "./live-feed.js";
import { createPageViews } from "./page-views.js";
import { createActions, hashNotice, writeHash } from "./actions.js";
import { createStartup } from "./startup.js";
import { createMemoryProbe } from "./memory.js";
import { bindCompare } from "./compare.js";
import { bindControls } from "./controls.js";
import { bindAnimControls } from "./anim-controls.js";
import { installApi } from "./api.js";
import { bindModelControls } from "./model-controls.js";
import { createOutputs } from "./outputs.js";
import { bindShare } from "./share.js";
import { bindEmbed } from "./embed.js";
import { bindIntro } from "./intro.js";
import { bindData, storedShape } from "./data-panel.js";
import { createRecovery } from "./recovery.js";
import { bindDiverged } from "./diverged.js";
import { bindPythonPanel } from "./python-panel.js";
import { registerOffline } from "./offline.js";
import { bindCopyLink } from "./workbench/copy-link.js";
import { bindShelf } from "./workbench/shelf.js";
import { bindPacedControls } from "./workbench/paced-play.js";

// ms since navigation; `worker` holds the worker's phases on the same timeline.
const timings = { layout: null, ready: null, firstEpoch: null, worker: null };
const initial = parseHash(location.hash);
const store = createStore({
  settings: initial.settings,
  page: initial.page,
  phase: "loading",
  progress: { file: "", loaded: 0, total: buildInfo.total },
  error: null,
  snapshot: null,
  playing: false,
  selected: null,
  notice: hashNotice(initial.errors),
});

// ---- the clock, Python, training
const scheduler = createScheduler();
const animator = createAnimator({ invalidate: () => { scheduler.invalidate("network"); scheduler.invalidate("caption"); scheduler.invalidate("data"); } });
const rawClient = createClient();
// the page's copy of settings, data and weights, and a worker restart that restores it (recovery.js)
const recovery = createRecovery({ store, client: rawClient, applySettings: () => writeHash(store) });
const client = recovery.guard(rawClient);
const feed = createLiveFeed({ store, scheduler });
const trainer = createTrainer(store, client, {
  glowKind: () => store.get().page.shares,
  onSnapshot: (msg) => feed.receive(msg),
});
const stepper = createStepper({ store, trainer, animator });

// ---- the network, its caption and the explain panel; the page's actions
const view = createPageViews(document, { store, scheduler, animator, feed, stepper, storedShape, timings });
timings.layout = performance.now();
const actions = createActions(document, { store, client, trainer, animator, scheduler, feed, stepper });
const { play, pause, setPage, setState, select, tour } = actions;
window.addEventListener("hashchange", actions.followHash);

// ---- the panels
const divergence = bindDiverged(document, store, { trainer, recovery });
recovery.whenDiverged((r) => divergence.diverged(r.error));
bindPythonPanel(document, store, { trainer, recovery, applySettings: (settings) => {
  store.set({ settings });
  writeHash(store);
} });
bindCompare(document, store, { trainer });
const data = bindData(document, { store, trainer, client, scheduler, animator, networkView: view, pause, setState });
bindControls(document, store, { play, pause, step: () => stepper.step(), setState, retry: actions.retry });
bindPacedControls(document, store); // after bindControls: it overrides the buttons while pacing
bindCopyLink(document);
bindShelf(document);
bindModelControls(document, store, { setState });
const outputs = createOutputs({ doc: document, store, trainer, scheduler, setPage });
feed.listen((msg) => outputs.onSnapshot(msg), { before: true });
feed.listen((msg) => data.onSnapshot(msg));
const startup = createStartup({ store, client, recovery, data, actions, timings });
const ready = startup.ready;
ready.then(() => registerOffline(store)); // after start-up: the cache fills in the background
const share = bindShare(document, store, { trainer, pause, ready, adopt: (snap) => {
  animator.clear();
  outputs.clear();
  store.set({ settings: snap.settings, snapshot: snap, page: { ...store.get().page, preset: "" }, selected: null });
  writeHash(store);
} });
bindEmbed(document, store);
bindIntro(document, store);
bindAnimControls(document, store, { play, pause, step: () => stepper.step(), setPage });

// ---- window.pynet
const memory = createMemoryProbe(client);
installApi(window, {
  ready, trainer: { ...trainer, play, pause }, setState, store, timings,
  stepSample: () => ready.then(() => stepper.step("sample")),
  stepWith: (g) => ready.then(() => stepper.step(g)),
  view: () => view.view(),
  seek: (phase, u) => animator.seek(phase, u),
  select,
  editWeight: (l, k, j, text) => stepper.editWeight(l, k, j, text),
  tour,
  share,
  crashWorker: () => client.send({ type: "crash" }),
  request: (req) => trainer.request(req),
  recoveryCopies: () => recovery.copies,
  memory: () => memory.probe(),
  stats: () => ({ ...scheduler.stats(), snapshots: feed.snapshots,
                  workerMsMedian: feed.workerMsMedian, lastStepMs: stepper.lastStepMs,
                  // the play loop's time by kind since Play, and the epoch it had reached
                  workerBusy: feed.workerBusy }),
}, data.api);

// ---- the worker's messages, now that every part that answers them exists
rawClient.attach({
  onProgress: (p) => store.set({ progress: p }),
  onFailed: (error) => recovery.failed(error) || store.set({ phase: "error", error, playing: false }),
  onMessage: (msg) => {
    trainer.onWorkerMessage(msg);
    if (msg.type === "stopped" && msg.errorType === "DivergedError") divergence.diverged(msg.error);
    if (msg.type === "memory") memory.answered(msg);
  },
  onReady: (m) => startup.onReady(m),
});
