// The Python panel: the learner's code runs in the worker (facade op
// run_python, pynet.panel) with `net` bound to the live network; the views
// follow from a fresh snapshot afterwards. Output is shown as text only
// (textContent: nothing the code prints becomes HTML). Code comes only from
// the textarea: nothing from the URL is ever put there or run.
// A run longer than RUN_LIMIT_MS, or Stop, replaces the worker (recovery.js).
import { RUN_LIMIT_MS } from "./recovery.js";

export function bindPythonPanel(doc, store, { trainer, recovery, applySettings, limitMs = RUN_LIMIT_MS }) {
  const $ = (id) => doc.getElementById(id);
  const code = $("python-code");
  const runButton = $("python-run");
  const stopButton = $("python-stop");
  const output = $("python-output");
  let running = null; // {stopped} while a run is in flight

  function show(r) {
    const parts = [];
    if (r.stdout) parts.push(r.stdout);
    if (r.stderr) parts.push(r.stderr);
    if (r.traceback) parts.push(r.traceback);
    if (r.invalid) parts.push(`Not kept: ${r.invalid}`);
    if (r.restored) parts.push("The network was put back as it was before this code ran.");
    output.textContent = parts.join(parts.every((p) => p.endsWith("\n")) ? "" : "\n") || "(no output)";
    output.classList.toggle("failed", Boolean(r.failed || r.invalid));
  }

  async function run() {
    if (running || store.get().phase !== "ready") return;
    const run = { stopped: false };
    running = run;
    update();
    output.textContent = "Running…";
    output.classList.remove("failed");
    const timer = setTimeout(() => stop(`The code ran for more than ${limitMs / 1000} s, so it was stopped.`), limitMs);
    try {
      const r = await trainer.request({ op: "run_python", code: code.value });
      if (run.stopped) return;
      show(r);
      if (r.settings) applySettings(r.settings);
      if (!store.get().playing) await trainer.refresh();
    } catch (e) {
      if (!run.stopped) {
        output.textContent = e.message;
        output.classList.add("failed");
      }
    } finally {
      clearTimeout(timer);
      if (running === run) running = null;
      update();
    }
  }

  /** Stop a run: the worker is terminated and replaced; the page's copy is restored. */
  function stop(why = "Stopped.") {
    if (!running) return;
    running.stopped = true;
    running = null;
    output.textContent = `${why} Python was restarted (names defined in the panel are gone); ` +
      "settings, data and the last saved weights are restored.";
    output.classList.add("failed");
    recovery.restart(`The Python panel's code was stopped.`);
    update();
  }

  function update() {
    const s = store.get();
    runButton.disabled = s.phase !== "ready" || Boolean(running);
    stopButton.disabled = !running;
  }

  runButton.addEventListener("click", run);
  stopButton.addEventListener("click", () => stop());
  code.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); run(); }
  });
  store.subscribe(update);
  return { run, stop };
}
