// The rest of Python's standard library, on demand. A first visit downloads only
// the stdlib modules the page imports (build.py: python_stdlib.zip, bytecode only);
// every other module, and every source file, is in python_stdlib_rest.zip, fetched
// the first time an import needs one (the Python panel's `import this`, a
// submodule of a package the page uses). The import waits for the download (a
// synchronous request: allowed in a worker, and an import cannot be async); if it
// fails, the import fails with an ImportError that says why, and the next import
// tries again.
import buildInfo from "../build-info.js";

const FINDER = `
import importlib, sys, zipimport

class StdlibRest:
    """A finder, last on sys.meta_path, for the stdlib modules outside the first download."""

    def __init__(self, url, path, names):
        self.url, self.path, self.names, self.loaded = url, path, frozenset(names), False

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] not in self.names:
            return None
        if not self.loaded:
            self._fetch(name)
        parent = name.rpartition(".")[0]
        where = self.path + ("/" + parent.replace(".", "/") if parent else "")
        try:
            return zipimport.zipimporter(where).find_spec(name)
        except zipimport.ZipImportError:
            return None

    def _fetch(self, name):
        from js import XMLHttpRequest
        why = None
        try:
            xhr = XMLHttpRequest.new()
            xhr.open("GET", self.url, False)
            xhr.responseType = "arraybuffer"
            xhr.send(None)
            if xhr.status != 200:
                why = f"HTTP {xhr.status} {xhr.statusText}".strip()
        except Exception as exc:  # a network error: the JS exception, as text
            why = str(exc) or type(exc).__name__
        if why is not None:
            raise ImportError(f"module {name!r} is part of Python's standard library that the page "
                              f"downloads only when it is first needed, and that download failed "
                              f"({self.url.rsplit('/', 1)[-1]}: {why}); check the connection and "
                              f"try again", name=name)
        with open(self.path, "wb") as f:
            f.write(xhr.response.to_py())
        sys.path.append(self.path)
        importlib.invalidate_caches()
        self.loaded = True

sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "StdlibRest"]
sys.meta_path.append(StdlibRest(rest_url, rest_path, rest_names))
`;

/** Put the finder on `pyodide`'s sys.meta_path (nothing to do for a site without the split). */
export function installStdlibRest(pyodide, runtimeUrl) {
  const rest = buildInfo.stdlibRest;
  if (!rest) return;
  // its own namespace: nothing of it in __main__ (the Python panel's names are apart anyway)
  const ns = pyodide.toPy({ rest_url: new URL(rest.file.split("/").pop(), runtimeUrl).href,
                            rest_path: "/lib/python_stdlib_rest.zip", rest_names: rest.names });
  try {
    pyodide.runPython(FINDER, { globals: ns });
  } finally {
    ns.destroy();
  }
}
