// Saving, loading and exporting the model, and the Embed dialog (issue 8).
// Every model text comes from pynet (export_model, load_model, export_python);
// the page only moves it between files, the clipboard and the worker.
import { toHash, EMBED_VIEWS } from "./settings.js";

/** Offer `text` as a download named `name` (a blob: URL, nothing leaves the page). */
function download(doc, name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = doc.createElement("a");
  a.href = url;
  a.download = name;
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Copy `text`; the Clipboard API when allowed, else a selected textarea. */
async function copy(doc, text, textarea) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!textarea) return false;
    textarea.select();
    return doc.execCommand("copy");
  }
}

export function bindShare(doc, store, { trainer, pause, adopt, ready }) {
  const $ = (id) => doc.getElementById(id);
  const say = (text, bad = false) => {
    $("share-message").textContent = text;
    $("share-message").classList.toggle("bad", bad);
  };

  const exportModel = () => ready.then(() => trainer.request({ op: "export_model" })).then((r) => r.json);
  const exportPython = () => ready.then(() => trainer.request({ op: "export_python" })).then((r) => r.source);
  /** Replace the network by a saved one; resolves to the new state, rejects with pynet's message. */
  async function loadModel(json) {
    await ready;
    if (store.get().playing) await pause();
    const text = typeof json === "string" ? json : JSON.stringify(json);
    const r = await trainer.request({ op: "load_model", json: text });
    adopt(r);
    return r;
  }

  $("save-model").addEventListener("click", async () => {
    try {
      const json = await exportModel();
      const s = store.get();
      download(doc, `pynet-${s.settings.dataset}-epoch-${s.snapshot.epoch}.json`, json, "application/json");
      say(`Saved the model (epoch ${s.snapshot.epoch}) as JSON.`);
    } catch (e) { say(e.message, true); }
  });
  $("load-model").addEventListener("change", async (e) => {
    const file = e.target.files && e.target.files[0];
    if (!file) return;
    try {
      const r = await loadModel(await file.text());
      say(`Loaded ${file.name}: layers ${r.layers.join("-")}, epoch ${r.epoch}.`);
    } catch (err) {
      say(`Could not load ${file.name}: ${err.message} The current model is unchanged.`, true);
    } finally {
      e.target.value = ""; // the same file can be chosen again
    }
  });
  $("export-python").addEventListener("click", async () => {
    try {
      $("python-source").value = await exportPython();
      $("python-export").hidden = false;
      say("The Python script below rebuilds this network with pynet and prints its outputs.");
    } catch (e) { say(e.message, true); }
  });
  $("python-download").addEventListener("click", () =>
    download(doc, "pynet_model.py", $("python-source").value, "text/x-python"));
  $("python-copy").addEventListener("click", async () => {
    say((await copy(doc, $("python-source").value, $("python-source"))) ? "Copied the script." : "Select the script and copy it.");
  });

  // ---- Embed: the <iframe> code for the current settings and the chosen views
  const dialog = $("embed-dialog");
  const boxes = () => [...dialog.querySelectorAll("input[name=embed-view]")];
  function embedCode() {
    const views = boxes().filter((b) => b.checked).map((b) => b.value);
    const s = store.get();
    const hash = toHash(s.settings, { ...s.page, embed: views.join(","), intro: true });
    const src = new URL(location.pathname, location.href).href + hash;
    const attr = (name, value) => `${name}="${String(value).replaceAll("&", "&amp;").replaceAll('"', "&quot;")}"`;
    return `<iframe ${attr("src", src)} ${attr("title", "pynet: backpropagation you can watch")} width="640" height="480" style="border: 0; max-width: 100%" loading="lazy"></iframe>`;
  }
  const refresh = () => { $("embed-code").value = embedCode(); $("embed-copied").textContent = ""; };
  dialog.querySelector(".views").replaceChildren(...Object.keys(EMBED_VIEWS).map((name) => {
    const label = doc.createElement("label");
    const box = doc.createElement("input");
    Object.assign(box, { type: "checkbox", name: "embed-view", value: name,
                         checked: name === "network" || name === "heatmap" });
    label.append(box, ` ${name}`);
    return label;
  }));
  dialog.addEventListener("change", refresh);
  $("embed-button").addEventListener("click", () => { refresh(); dialog.showModal(); });
  $("embed-copy").addEventListener("click", async () => {
    $("embed-copied").textContent = (await copy(doc, $("embed-code").value, $("embed-code")))
      ? "Copied." : "Select the code and copy it.";
  });
  store.subscribe((s) => {
    const off = s.phase !== "ready";
    for (const id of ["save-model", "load-model", "export-python"]) $(id).disabled = off;
  });

  return { exportModel, loadModel, exportPython, embedCode };
}
