// The four-phase indicator (#phases): forward, error, backward, update, lit as a
// stepped sample plays (the phase now, the ones before it marked done). A function
// of the animation clock it is given; knows nothing of the store or the worker.
import { PHASES } from "../timeline.js";

/** state: {clock: {phase, layer} | null, step: the animated step | null, playing}.
 * Returns the phase shown as current ("idle" when none). */
export function renderPhases(el, { clock, step, playing }) {
  const phase = !playing && step && clock ? clock.phase : "idle";
  const now = PHASES.indexOf(phase);
  // after a step has played out every phase is done; while playing none is told
  const doneUpTo = now >= 0 ? now : !playing && step ? PHASES.length : 0;
  for (const li of el.children) {
    const i = PHASES.indexOf(li.dataset.phase);
    const state = i === now ? "now" : i < doneUpTo ? "done" : "";
    if (li.className !== state) li.className = state;
    if (i === now) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
  }
  el.dataset.phase = phase;
  return phase;
}
