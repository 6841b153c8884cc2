// Run a Python script inside Pyodide (Node), with the project folder mounted.
//
//   node tools/run_in_pyodide.mjs SCRIPT.py [args...]
//
// PYTHONNODEBUGRANGES from the environment is passed on (it must be set when
// Python starts: compile() then leaves out column tables).
// The project root is mounted read-write (NODEFS) at /project and is the
// working directory, so relative paths in the arguments mean the same as on
// the host. Used by build.py for work that needs Pyodide's own CPython
// (compiling bytecode). The exit status is the script's.
import { dirname, resolve, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error("usage: node tools/run_in_pyodide.mjs SCRIPT.py [args...]");
  process.exit(2);
}
const env = process.env.PYTHONNODEBUGRANGES ? { PYTHONNODEBUGRANGES: process.env.PYTHONNODEBUGRANGES } : {};
const pyodide = await loadPyodide({ env });
pyodide.setStdout({ batched: (s) => console.log(s) });
pyodide.setStderr({ batched: (s) => console.error(s) });
pyodide.FS.mkdirTree("/project");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: ROOT }, "/project");
pyodide.globals.set("argv", pyodide.toPy([relative(ROOT, resolve(script)), ...args]));
const code = await pyodide.runPythonAsync(`
import os, runpy, sys, traceback
os.chdir("/project")
sys.argv = list(argv)
sys.dont_write_bytecode = True
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
    status = 0
except SystemExit as e:
    status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
except BaseException:
    traceback.print_exc()
    status = 1
status
`);
process.exit(code);
