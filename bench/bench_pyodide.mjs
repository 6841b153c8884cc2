// pynet inside Pyodide under Node: prints one JSON line with epochs/s.
// Run from anywhere: node bench/bench_pyodide.mjs [--quick]
// Needs node_modules/pyodide (npm ci). Used by bench/bench_engine.py.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const pyodideDir = path.join(root, "node_modules", "pyodide");
if (!fs.existsSync(path.join(pyodideDir, "pyodide.mjs"))) {
  console.log(JSON.stringify({ skipped: "node_modules/pyodide missing (run npm ci)" }));
  process.exit(0);
}
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep });

// Copy the package (sources and data files) and the benchmark into Pyodide's FS.
function copyTree(src, dst) {
  pyodide.FS.mkdirTree(dst);
  for (const entry of fs.readdirSync(src, { withFileTypes: true })) {
    if (entry.name === "__pycache__") continue;
    const from = path.join(src, entry.name);
    if (entry.isDirectory()) copyTree(from, `${dst}/${entry.name}`);
    else pyodide.FS.writeFile(`${dst}/${entry.name}`, fs.readFileSync(from));
  }
}
copyTree(path.join(root, "pynet"), "/bench/pynet");
pyodide.FS.writeFile("/bench/bench_engine.py", fs.readFileSync(path.join(here, "bench_engine.py")));

const quick = process.argv.includes("--quick") ? "True" : "False";
const result = pyodide.runPython(`
import sys, json
sys.path.insert(0, "/bench")
import bench_engine
json.dumps(bench_engine.pyodide_main(quick=${quick}))
`);
console.log(result);
