// Run pynet's unit tests inside Pyodide (Node), the runtime the page uses.
//
//   node tests/pyodide_runner.mjs --wheels DIR --pynet PYNET.whl [-- pytest args]
//
// DIR holds pure wheels of pytest, hypothesis and their dependencies for
// Pyodide's Python (build.py downloads them into build/pyodide-wheels/).
// tests/ is mounted read-write with NODEFS at /home/pyodide/tests, next to a
// copy of pyproject.toml (pytest's configuration) and README.md, and pytest.main() runs
// there without tests/browser/, tests/tooling/ (build.py's own tests) and
// tests/**/*_numpy.py (no numpy, no browser, no build.py in Pyodide): that is
// tests/engine/, tests/reference/ and tests/page/. The exit status is pytest's.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const sep = argv.indexOf("--");
const own = sep < 0 ? argv : argv.slice(0, sep);
const pytestArgs = sep < 0 ? [] : argv.slice(sep + 1);
const opt = (name) => {
  const i = own.indexOf(name);
  if (i < 0 || i + 1 >= own.length) {
    console.error(`usage: node tests/pyodide_runner.mjs --wheels DIR --pynet WHEEL [-- pytest args] (missing ${name})`);
    process.exit(2);
  }
  return resolve(own[i + 1]);
};
// Tests that cannot run in Pyodide (browser tests, numpy tests) are dropped from
// explicit paths too: pytest would still import their conftest otherwise.
const notForPyodide = (a) => /^(\.\/)?tests\/(browser|tooling)(\/|$|::)/.test(a) || /_numpy\.py($|::)/.test(a);
const isPath = (a) => !a.startsWith("-") && /^(\.\/)?tests(\/|$)/.test(a);
const paths = pytestArgs.filter(isPath);
const kept = pytestArgs.filter((a) => !(isPath(a) && notForPyodide(a)));
if (paths.length && paths.every(notForPyodide)) {
  console.log("Nothing to run inside Pyodide: the given tests are browser, build.py or numpy tests.");
  process.exit(5); // pytest's "no tests collected"
}
const wheelsDir = opt("--wheels");
const pynetWheel = opt("--pynet");

const t0 = performance.now();
// CI=true reaches Python (tests/conftest.py makes hypothesis deterministic there).
const pyodide = await loadPyodide({ env: process.env.CI ? { CI: process.env.CI } : {} });
// Raw writes, so pytest's progress dots stay on one line.
pyodide.setStdout({ write: (buf) => { process.stdout.write(buf); return buf.length; } });
pyodide.setStderr({ write: (buf) => { process.stderr.write(buf); return buf.length; } });
const wheels = readdirSync(wheelsDir).filter((f) => f.endsWith(".whl")).map((f) => join(wheelsDir, f));
for (const whl of [...wheels, pynetWheel]) {
  pyodide.unpackArchive(new Uint8Array(readFileSync(whl)), "wheel");
}
const HOME = "/home/pyodide";
pyodide.FS.mkdirTree(`${HOME}/tests`);
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: join(ROOT, "tests") }, `${HOME}/tests`);
pyodide.FS.writeFile(`${HOME}/pyproject.toml`, readFileSync(join(ROOT, "pyproject.toml")));
// tests/engine/test_readme.py runs the README's example.
pyodide.FS.writeFile(`${HOME}/README.md`, readFileSync(join(ROOT, "README.md")));
console.log(`Pyodide ${pyodide.version} (Python ${pyodide.runPython("import sys; sys.version.split()[0]")}) ` +
            `ready in ${((performance.now() - t0) / 1000).toFixed(1)} s with ${wheels.map((w) => basename(w).split("-")[0]).join(", ")}, pynet`);

// Paths given on the command line are relative to the project root, as on CPython.
pyodide.globals.set("pytest_args", pyodide.toPy([
  "--ignore=tests/browser",
  "--ignore=tests/tooling",
  "--ignore-glob=tests/**/*_numpy.py",
  "-p", "no:cacheprovider",
  ...kept,
]));
const code = await pyodide.runPythonAsync(`
import os, sys
os.chdir("${HOME}")
sys.dont_write_bytecode = True  # keep __pycache__ for Pyodide's Python out of tests/
import pytest
int(pytest.main(list(pytest_args)))
`);
process.exit(code);
