// The course rule vs the exact gradient: the Compare button trains two copies
// in the worker (facade op compare) and draws both loss curves.
import { drawCompare } from "./views/compare-chart.js";
import { num } from "./math.js";

export function bindCompare(doc, store, { trainer }) {
  const button = /** @type {HTMLButtonElement} */ (doc.getElementById("compare-run"));
  const status = doc.getElementById("compare-status");
  let comparing = false;
  store.subscribe((s) => { button.disabled = s.phase !== "ready" || comparing; });
  button.addEventListener("click", async () => {
    comparing = true;
    button.disabled = true;
    status.textContent = "Training both copies in the worker…";
    try {
      const r = await trainer.request({ op: "compare", epochs: 30 });
      drawCompare(doc.getElementById("compare-chart"), r);
      const last = (a) => a[a.length - 1];
      status.textContent = `After ${r.epochs} epochs (η = ${r.learning_rate}): course rule ${num(last(r.course))}, exact gradient ${num(last(r.gradient))}.`;
    } catch (e) {
      status.textContent = e.message;
    } finally {
      comparing = false;
      button.disabled = store.get().phase !== "ready";
    }
  });
}
