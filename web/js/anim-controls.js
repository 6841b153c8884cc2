// The animation's controls: step granularity, share kind, speed, the help
// overlay and the keyboard (Space = play/pause, → = step, ? = help).
// Controls -> actions; their shown values come from the store.

const STEP_LABEL = { sample: "Step one sample", batch: "Step one batch", epoch: "Step one epoch" };

export function bindAnimControls(doc, store, actions) {
  const $ = (id) => doc.getElementById(id);
  const help = $("help");
  $("granularity").addEventListener("change", (e) => actions.setPage({ granularity: e.target.value }));
  $("shares").addEventListener("change", (e) => actions.setPage({ shares: e.target.value }));
  $("speed").addEventListener("input", (e) => actions.setPage({ speed: Number(e.target.value) }));
  $("help-button").addEventListener("click", () => help.showModal());

  doc.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    const typing = t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA" || t.isContentEditable);
    if (typing) return;
    if (ev.key === "?") { ev.preventDefault(); help.open ? help.close() : help.showModal(); return; }
    if (help.open) return;
    // Space on a focused button already clicks it: leave buttons alone
    if (ev.key === " " && !(t && t.tagName === "BUTTON")) {
      ev.preventDefault();
      if (store.get().playing) actions.pause(); else actions.play();
    } else if (ev.key === "ArrowRight") {
      ev.preventDefault();
      if (!store.get().playing && store.get().phase === "ready") actions.step().catch(() => {});
    }
  });

  store.subscribe((s) => {
    $("granularity").value = s.page.granularity;
    $("shares").value = s.page.shares;
    if (Number($("speed").value) !== s.page.speed) $("speed").value = String(s.page.speed);
    $("speed-out").textContent = `${s.page.speed}×`;
    $("step").setAttribute("aria-label", STEP_LABEL[s.page.granularity]);
    $("step").title = `${STEP_LABEL[s.page.granularity]} (→)`;
    $("play").title = "Play (Space)";
  });
}
