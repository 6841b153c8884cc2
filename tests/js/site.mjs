// The page's modules as the site serves them: dist/js/, which `python3 build.py build`
// writes (a copy of web/js/ plus build-info.js, which exists only in a built site).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const JS = new URL("../../dist/js/", import.meta.url);

/** Import dist/js/<name> (e.g. "settings.js", "views/network-layout.js"). */
export async function site(name) {
  const url = new URL(name, JS);
  if (!existsSync(fileURLToPath(url))) {
    throw new Error(`${fileURLToPath(url)} is missing: run \`python3 build.py build\` first`);
  }
  return import(url.href);
}
