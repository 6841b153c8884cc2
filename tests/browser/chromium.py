"""Which Chromium to drive, and how: shared by the browser tests, the benchmarks and
the screenshot script.

`python3 build.py test` chooses (or installs) the browser and names it in the
environment variable ``PYNET_CHROMIUM``: ``playwright`` for Playwright's own
Chromium, otherwise the path of a system Chromium. Run directly (``.venv/bin/python
-m pytest tests/browser``), this module looks for one itself: Playwright's own if
installed, else ``chromium``/``chromium-browser`` on PATH or /usr/bin/chromium.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import build  # stdlib only at top level


def playwright_chromium(playwright) -> str | None:
    """Path of Playwright's own Chromium for this Playwright version, if installed."""
    try:
        path = playwright.chromium.executable_path
    except Exception:  # noqa: BLE001  (whatever Playwright raises, it has no Chromium for us)
        return None
    return path if path and Path(path).exists() else None


def launch_args(playwright) -> dict:
    """Keyword arguments for ``playwright.chromium.launch``; raises RuntimeError
    with advice when no Chromium can be found."""
    args = build.chromium_args()
    chosen = os.environ.get(build.CHROMIUM_ENV)
    if chosen == "playwright" or (not chosen and playwright_chromium(playwright)):
        return {"args": args}
    system = chosen or build.Machine().system_chromium()
    if system:
        return {"executable_path": system, "args": args}
    raise RuntimeError(
        "No Chromium for the browser tests: `python3 build.py test` installs one "
        "(or run `.venv/bin/playwright install chromium` with internet access, or "
        "`apt-get install -y chromium` on Debian).")
