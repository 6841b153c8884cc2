// client.js names the file that stopped the worker from loading by probing
// WORKER_FILES: that list must be the worker's whole module graph.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const WEB_JS = new URL("../../web/js/", import.meta.url);
const read = (name) => readFileSync(fileURLToPath(new URL(name, WEB_JS)), "utf8");

/** Every module reachable from `entry` by static imports, as paths relative to js/. */
function graph(entry) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    if (name === "build-info.js") return; // written by build.py: imports nothing
    for (const [, spec] of read(name).matchAll(/^import\s[^;]*?from\s+"([^"]+)"/gms)) {
      const url = new URL(spec, new URL(name, WEB_JS));
      visit(url.href.slice(WEB_JS.href.length));
    }
  };
  visit(entry);
  return seen;
}

test("the worker's files that client.js probes are exactly runtime.js and what it imports", () => {
  const listed = read("client.js").match(/const WORKER_FILES = (\[[^\]]*\])/);
  assert.ok(listed, "client.js has no WORKER_FILES list");
  const files = JSON.parse(listed[1]);
  assert.equal(files[0], "runtime.js"); // the entry first: a missing entry is named as itself
  assert.deepEqual(new Set(files), graph("runtime.js"));
  assert.ok(files.includes("worker/play-loop.js") && files.includes("protocol.js"));
});
