// The page's actions: play and pause, the settings (Python's and the page's
// own) with the URL hash that mirrors them, the chapter preset's tour, and
// Retry. Everything else on the page calls these.
import buildInfo from "./build-info.js";
import { parseHash, toHash, checkSettings, checkPage, fitHidden, PAGE_DEFAULTS, LIVE } from "./settings.js";
import { storedShape } from "./data/kept.js";
import { bindTour } from "./tour.js";
import { createPacedPlay, playRate } from "./workbench/paced-play.js";

const MAX_NOTICE_ERRORS = 8; // a hash with thousands of bad keys gives a short notice
/** The notice for a hash's refused keys (null: none). */
export const hashNotice = (errors) => errors.length
  ? `Ignored in the URL: ${errors.slice(0, MAX_NOTICE_ERRORS).join("; ")}${errors.length > MAX_NOTICE_ERRORS
    ? ` (and ${errors.length - MAX_NOTICE_ERRORS} more)` : ""}. Using the defaults for those.` : null;

/** The URL hash follows the store's settings and page settings. */
export function writeHash(store) {
  history.replaceState(null, "", toHash(store.get().settings, store.get().page));
}

export function createActions(doc, { store, client, trainer, animator, scheduler, feed, stepper }) {
  // Speed governs Play (workbench/paced-play.js): below 1x Play trains at a pace a
  // person can watch; a change of pace while playing switches loops
  const paced = createPacedPlay({ store, trainer, onMax: () => play() });
  let switching = false;
  store.subscribe((s) => {
    if (switching || !s.playing || playRate(s.page.speed) === null) return;
    switching = true;
    pause().then(() => { switching = false; play(); });
  });
  function play() {
    if (paced.running) { pause(); return; } // Space toggles the paced loop too
    if (store.get().phase !== "ready" || store.get().playing) return;
    animator.clear();
    feed.clear();
    if (paced.start()) return;
    trainer.play();
  }
  async function pause() {
    await paced.stop();
    const r = await trainer.pause();
    feed.clear();
    scheduler.invalidate("network");
    return r;
  }

  function setPage(partial) {
    const { page, errors } = checkPage(partial);
    if (errors.length) {
      const message = `setState: ${errors.join("; ")}`;
      store.set({ notice: message });
      throw new Error(message);
    }
    const before = store.get().page;
    store.set({ page: { ...before, ...page } });
    if ("speed" in page) animator.setSpeed(page.speed);
    if ("shares" in page && page.shares !== before.shares) trainer.replay();
    writeHash(store);
  }

  // ---- the chapter preset: show w11's numbers at once, and the tour
  // the chapter preset's sigmoid reading (Python's numbers for the tour); later
  // snapshots (steps) do not repeat it
  let chapterCase = null;
  const remember = (r) => { if (r && r.sigmoid_case) chapterCase = r.sigmoid_case; return r; };
  const tour = bindTour(doc, (t) => {
    setPage({ shares: t.kind });
    store.set({ selected: t.select });
    animator.seek(t.phase, 0.7);
  }, () => chapterCase);
  async function startChapter() {
    await stepper.showPreview();
    store.set({ selected: { type: "edge", l: 0, k: 0, j: 0 } });
    tour.show(0);
  }

  /** window.pynet.setState: Python's settings and the page's own, checked first; resolves to the snapshot. */
  async function setState(partial, notice = null) {
    const pageKeys = Object.keys(partial || {}).filter((k) => Object.hasOwn(PAGE_DEFAULTS, k));
    const pagePart = Object.fromEntries(pageKeys.map((k) => [k, partial[k]]));
    const pyPart = Object.fromEntries(Object.entries(partial || {}).filter(([k]) => !Object.hasOwn(PAGE_DEFAULTS, k)));
    const { settings: checked, errors } = checkSettings(pyPart);
    const settings = /** @type {Record<string, any>} */ (checked);
    const { errors: pageErrors } = checkPage(pagePart);
    if (errors.length || pageErrors.length) {
      const message = `setState: ${[...errors, ...pageErrors].join("; ")}`;
      store.set({ notice: message });
      throw new Error(message);
    }
    // another data set alone: hidden sizes past its node limit are clamped to it, and the notice says so
    if ("dataset" in settings && !("hidden" in settings)) {
      const fit = fitHidden(store.get().settings.hidden, settings.dataset, storedShape());
      if (fit.note) { settings.hidden = fit.hidden; notice = notice ? `${notice} ${fit.note}` : fit.note; }
    }
    const presetBefore = store.get().page.preset;
    if (pageKeys.length) setPage(pagePart);
    const presetChanged = store.get().page.preset !== presetBefore;
    if (!Object.keys(settings).length && !presetChanged) {
      if (notice) store.set({ notice });
      return store.get().snapshot;
    }
    // live settings (pynet.settings.LIVE: learning_rate, ...) change while the worker keeps playing
    const live = !presetChanged && Object.keys(settings).every((k) => LIVE.includes(k));
    if (store.get().playing && !live) await pause();
    const before = { settings: store.get().settings, page: store.get().page };
    const merged = { ...store.get().settings, ...settings };
    // a change to Python's settings leaves the preset
    const page = Object.keys(settings).length ? { ...store.get().page, preset: "" } : store.get().page;
    store.set({ settings: merged, page, notice, selected: null });
    writeHash(store);
    if (store.get().phase !== "ready") return null;
    animator.clear();
    let snap;
    try {
      snap = page.preset
        ? remember(await trainer.request({ op: "preset", name: page.preset }))
        : await trainer.request({ op: "set_state", settings: merged });
    } catch (e) { // pynet refused (its message is the notice): the settings in force stay
      store.set({ settings: before.settings, page: before.page });
      writeHash(store);
      throw e;
    }
    store.set({ settings: snap.settings, snapshot: snap });
    if (page.preset === "chapter") startChapter();
    else tour.hide();
    return snap;
  }

  /** The hash changed (the user edited it): apply what it names and changes, over the current state. */
  function followHash() {
    // a hash that names only a preset (#preset=chapter) must not also reset Python's settings
    const { settings, page, errors, given } = parseHash(location.hash);
    const now = store.get();
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    const named = Object.fromEntries(given.filter((k) => !same(now.settings[k], settings[k]))
      .map((k) => [k, settings[k]]));
    const changed = Object.fromEntries(Object.entries(page).filter(([k, v]) => now.page[k] !== v));
    setState({ ...named, ...changed }, hashNotice(errors)).catch(() => {});
  }

  function retry() {
    store.set({ phase: "loading", error: null, progress: { file: "", loaded: 0, total: buildInfo.total } });
    client.restart();
  }

  return { play, pause, setPage, setState, followHash, retry, remember, startChapter, tour,
           select: (sel) => store.set({ selected: sel }) };
}
