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
    // a preset brings its own data (the chapter's one sample, random inputs): say so
    // rather than show the data set it replaced; choosing a data set leaves the preset
    const preset = $("dataset-preset");
    preset.hidden = !s.page.preset;
    preset.textContent = s.page.preset === "chapter" ? "the chapter's example"
      : s.page.preset === "wide" ? "random inputs (64-32-10)" : "";
    $("dataset").value = s.page.preset ? "preset" : s.settings.dataset;
  });
}
