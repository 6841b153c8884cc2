// Loading progress, load errors (with Retry), notices and the epoch/loss readout.

import { setText } from "../dom.js";

const MB = (b) => (b / 1e6).toFixed(1);
const fmt = (x) => (x == null ? "–" : x.toFixed(4));

export function renderStatus(doc, state) {
  const $ = (id) => doc.getElementById(id);
  const { phase, progress, error, snapshot, notice } = state;

  $("loading").hidden = phase !== "loading";
  if (phase === "loading" && progress) {
    const what = progress.file ? `Loading ${progress.file}` : "Starting Python";
    $("loading-text").textContent = `${what}… ${MB(progress.loaded)} of ${MB(progress.total)} MB`;
    $("progress").value = progress.total ? Math.min(1, progress.loaded / progress.total) : 0;
  }

  $("error").hidden = phase !== "error";
  if (phase === "error" && error) {
    const lines = [];
    if (error.file) lines.push(`File: ${error.file}${error.status ? ` (HTTP ${error.status})` : ""}`);
    if (error.detail && !(error.message || "").includes(error.detail)) lines.push(error.detail);
    lines.push(error.message);
    $("error-text").textContent = lines.join("\n");
  }

  $("notice").hidden = !notice;
  setText($("notice"), notice || "");

  setText($("epoch"), snapshot ? String(snapshot.epoch) : "–");
  // after a single step on big data the losses are the last measured ones (pynet.stepping)
  const stale = snapshot && snapshot.losses_stale ? " (last measured)" : "";
  setText($("train-loss"), fmt(snapshot && snapshot.train_loss) + stale);
  setText($("test-loss"), fmt(snapshot && snapshot.test_loss) + stale);
}
