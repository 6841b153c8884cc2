// Run the page's worker (SITE/js/runtime.js, unchanged) under Node, then a
// conversation with it: the Node half of the start-up equivalence tests
// (tests/browser/test_startup.py).
//
//   node tests/browser/boot_node.mjs SITE CONVERSATION.json [--boot normal]
//        [--tamper missing|truncated|foreign|corrupt]
//
// SITE is a built site (dist/ or build/site-plain/). It is mirrored into a
// temporary folder (symlinks; js/ copied, since the worker finds the runtime
// relative to itself), where --tamper spoils the heap snapshot. The harness
// plays the browser's part: `self`, postMessage, and fetch for file: URLs
// (with subresource-integrity checks, as Chromium does). pyodide.mjs is
// wrapped to keep the instance the worker made, so the Python part of the
// conversation (iris, digits, traces: things the facade does not offer) runs
// in exactly the interpreter the worker booted.
//
// CONVERSATION.json: {"facade": [request, ...], "python": "code whose last
// expression is a JSON string"}. Prints one JSON line: {boot, marks,
// warnings, facade: [answer, ...], python: value} or {failed: error}.
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";

const [siteArg, conversationArg, ...rest] = process.argv.slice(2);
const opt = (name) => { const i = rest.indexOf(name); return i < 0 ? null : rest[i + 1]; };
const site = resolve(siteArg);
const conversation = JSON.parse(readFileSync(conversationArg, "utf8"));
const tmp = mkdtempSync(join(tmpdir(), "pynet-boot-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));

// ---- the mirrored site
cpSync(join(site, "js"), join(tmp, "js"), { recursive: true });
mkdirSync(join(tmp, "pyodide"));
for (const name of readdirSync(join(site, "pyodide"))) {
  if (name === "pyodide.mjs") continue;
  symlinkSync(join(site, "pyodide", name), join(tmp, "pyodide", name));
}
symlinkSync(join(site, "pyodide", "pyodide.mjs"), join(tmp, "pyodide", "pyodide-real.mjs"));
writeFileSync(join(tmp, "pyodide", "pyodide.mjs"), `
import { loadPyodide as real, version } from "./pyodide-real.mjs";
export { version };
export async function loadPyodide(options) {
  const pyodide = await real(options);
  globalThis.__pynetTestPyodide = pyodide;
  return pyodide;
}
`);
const snapshotPath = join(tmp, "pyodide", "pynet.snapshot");
const tamper = opt("--tamper");
if (tamper) {
  const original = readFileSync(join(site, "pyodide", "pynet.snapshot"));
  rmSync(snapshotPath);
  if (tamper === "truncated") writeFileSync(snapshotPath, original.subarray(0, original.length >> 1));
  else if (tamper === "foreign" || tamper === "corrupt") {
    const raw = gunzipSync(original);
    const headerEnd = raw.indexOf(10, 11) + 1;
    if (tamper === "foreign") raw.fill(0x30, 11, headerEnd - 1); // another build's key: 000…
    else raw.fill(0, headerEnd, headerEnd + 4096); // right key, spoilt heap (Pyodide's magic)
    writeFileSync(snapshotPath, gzipSync(raw, { level: 1 }));
  } else if (tamper !== "missing") {
    console.error(`unknown --tamper ${tamper}`);
    process.exit(2);
  }
}

// ---- the browser's part
const messages = [];
let onMessage = () => {};
const warnings = [];
const warn = console.warn;
console.warn = (...args) => { warnings.push(args.join(" ")); };
globalThis.self = globalThis;
globalThis.postMessage = (msg) => { messages.push(msg); onMessage(msg); };
globalThis.fetch = async (input, init = {}) => {
  const url = new URL(typeof input === "string" || input instanceof URL ? String(input) : input.url);
  if (url.protocol !== "file:") throw new TypeError(`boot_node.mjs: only file: URLs, not ${url}`);
  let body;
  try {
    body = readFileSync(fileURLToPath(url));
  } catch {
    return new Response(init.method === "HEAD" ? null : "not found", { status: 404, statusText: "Not Found" });
  }
  if (init.integrity) {
    const want = init.integrity.replace(/^sha256-/, "");
    if (createHash("sha256").update(body).digest("base64") !== want) {
      throw new TypeError("Failed to fetch (integrity)");
    }
  }
  return new Response(init.method === "HEAD" ? null : body, { status: 200, statusText: "OK" });
};

const runtime = pathToFileURL(join(tmp, "js", "runtime.js"));
if (opt("--boot")) runtime.searchParams.set("boot", opt("--boot"));
const settled = new Promise((resolve) => {
  onMessage = (m) => { if (m.type === "ready" || m.type === "failed") resolve(m); };
});
await import(runtime.href);
const outcome = await settled;
console.warn = warn;
if (outcome.type === "failed") {
  say({ failed: outcome.error, warnings });
  process.exit(0);
}
// The answer as one line on stdout, written synchronously: console.log to a pipe is
// asynchronous, and process.exit() would cut it at the pipe's 64 KiB.
function say(result) { writeSync(1, JSON.stringify(result) + "\n"); }

const answers = [];
for (const [id, request] of conversation.facade.entries()) {
  const answer = new Promise((resolve) => {
    onMessage = (m) => { if (m.type === "result" && m.id === id) resolve(m.result); };
  });
  self.onmessage({ data: { type: "call", id, request } });
  answers.push(await answer);
}
const python = JSON.parse(globalThis.__pynetTestPyodide.runPython(conversation.python));
say({
  boot: "snapshotRestored" in outcome.marks ? "snapshot" : "normal",
  marks: Object.keys(outcome.marks), warnings, facade: answers, python,
});
process.exit(0);
