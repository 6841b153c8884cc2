// Buttons and inputs -> trainer/settings actions; their enabled state from the store.

export function bindControls(doc, store, actions) {
  const $ = (id) => doc.getElementById(id);
  $("play").addEventListener("click", () => actions.play());
  $("pause").addEventListener("click", () => actions.pause());
  $("step").addEventListener("click", () => actions.step(1).catch(() => {}));
  $("retry").addEventListener("click", () => actions.retry());
  $("dataset").addEventListener("change", (e) =>
    actions.setState({ dataset: e.target.value }).catch(() => {}));

  store.subscribe((s) => {
    const ready = s.phase === "ready";
    $("play").disabled = !ready || s.playing;
    $("pause").disabled = !ready || !s.playing;
    $("step").disabled = !ready || s.playing;
    $("dataset").value = s.settings.dataset;
  });
}
