"""Which Chromium to drive, and how: shared by the browser tests and the load benchmark.

Playwright's own Chromium when it is installed; otherwise a system Chromium
(`chromium` on PATH or /usr/bin/chromium) through ``executable_path``, with the
flags a root user on a closed network needs.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

#: --no-sandbox is needed as root; the rest keep Chromium from calling home.
FLAGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-gpu",
]


def playwright_chromium(playwright) -> str | None:
    """Path of Playwright's own Chromium for this Playwright version, if installed."""
    try:
        path = playwright.chromium.executable_path
    except Exception:
        return None
    return path if path and Path(path).exists() else None


def system_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def launch_args(playwright) -> dict:
    """Keyword arguments for ``playwright.chromium.launch``; raises RuntimeError
    with advice when no Chromium can be found."""
    args = list(FLAGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.insert(0, "--no-sandbox")
    if playwright_chromium(playwright):
        return {"args": args}
    system = system_chromium()
    if system:
        return {"executable_path": system, "args": args}
    raise RuntimeError(
        "No Chromium for the browser tests: run `.venv/bin/playwright install chromium` "
        "(needs internet) or install your system's chromium (Debian: `apt-get install chromium`).")
