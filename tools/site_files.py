"""Files build.py writes into a built site after copying it (stdlib only):

* the Content-Security-Policy of index.html: web/index.html's meta tag holds
  ``INLINE-HASHES``, replaced here by the sha256 of each inline ``<script>``
  and inline event handler (``onerror="..."``), so the policy allows exactly
  those and nothing else inline (README, "Robustness");
* index.html's ``PAGE_FILES``: every file under ``js/`` and ``vendor/`` of the
  built site, which the inline fallback probes to name a file that failed to load;
* ``sw.js``, the service worker: web/sw.js with the build's version and the
  exact list of the site's files and their sha256 (offline after one visit).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

PLACEHOLDER = "INLINE-HASHES"
_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)
_HANDLER = re.compile(r"""\son[a-z]+="([^"]*)\"""")


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def inline_hashes(html: str) -> list[str]:
    """The CSP sources for the inline scripts and event handlers of ``html``."""
    found = [_sha(m) for m in _SCRIPT.findall(html)]
    found += [_sha(m) for m in _HANDLER.findall(html)]
    return sorted(set(found))


def fill_csp(html: str) -> str:
    """index.html with the placeholder in its CSP replaced by the inline hashes."""
    if PLACEHOLDER not in html:
        raise ValueError(f"index.html: no {PLACEHOLDER} in its Content-Security-Policy meta tag")
    return html.replace(PLACEHOLDER, " ".join(inline_hashes(html)))


FILES_PLACEHOLDER = "[/* PAGE-FILES */]"
#: the site's folders whose files the page's modules (and the worker) load
PAGE_DIRS = ("js", "vendor")


def page_files(site: Path, files: list[Path]) -> list[str]:
    """The site-relative paths, in path order, of ``files`` under ``PAGE_DIRS``."""
    rel = (p.relative_to(site).as_posix() for p in files)
    return sorted(r for r in rel if r.split("/", 1)[0] in PAGE_DIRS)


def fill_page_files(html: str, names: list[str]) -> str:
    """index.html with its ``PAGE_FILES`` placeholder replaced by ``names``
    (before fill_csp: the list is part of an inline script's hash)."""
    if FILES_PLACEHOLDER not in html:
        raise ValueError(f"index.html: no {FILES_PLACEHOLDER} to fill with the page's files")
    return html.replace(FILES_PLACEHOLDER, json.dumps(names))


def csp_of(html: str) -> str:
    """The policy of a built index.html (for the README's header and the tests)."""
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    if not m:
        raise ValueError("index.html has no Content-Security-Policy meta tag")
    return m.group(1)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


SW_PLACEHOLDER = '{"version": "dev", "files": {}, "optional": []}'


def fill_service_worker(template: str, site: Path, files: list[Path],
                        optional: tuple[str, ...] = ()) -> str:
    """web/sw.js with this build's version, its files (site-relative path ->
    sha256) and which of them are ``optional`` (cached only once a page fetched
    them: the heap snapshot); the version is a hash of that list, so any changed
    file makes a new one."""
    if SW_PLACEHOLDER not in template:
        raise ValueError(f"sw.js: no {SW_PLACEHOLDER} to fill")
    listing = {p.relative_to(site).as_posix(): sha256_file(p) for p in sorted(files)}
    version = hashlib.sha256(json.dumps(listing, sort_keys=True).encode()).hexdigest()[:16]
    present = sorted(name for name in optional if name in listing)
    return template.replace(SW_PLACEHOLDER, json.dumps({"version": version, "files": listing,
                                                        "optional": present}))
