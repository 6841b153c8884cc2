"""Regenerate docs/screenshot.png (a script, not a test): the page after some
training, frozen in the backward phase of one sample's step, a weight explained.

    .venv/bin/python tools/screenshot.py   (after `python3 build.py build`)
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))  # chromium.py

from chromium import launch_args
from playwright.sync_api import sync_playwright

import build

OUT = build.ROOT / "docs" / "screenshot.png"


def main() -> int:
    server = build.make_server(build.DIST, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/#dataset=xor&learning_rate=0.1"
    OUT.parent.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_args(p))
        page = browser.new_page(viewport={"width": 1280, "height": 860}, service_workers="block", bypass_csp=True)
        # a returning visitor: the first-visit panel would push the network half off the shot
        page.add_init_script("localStorage.setItem('pynet.intro', 'seen')")
        page.goto(url)
        page.evaluate("window.pynet.ready.then(() => window.pynet.step(150))")
        page.evaluate("window.pynet.setState({speed: 0.25})")
        page.evaluate("() => { window.pynet.stepSample(); }")
        page.wait_for_function("window.pynet.view().phase === 'backward'")
        page.evaluate("window.pynet.seek('backward', 0.8)")
        page.evaluate("window.pynet.select({type: 'edge', l: 2, k: 0, j: 0})")
        page.wait_for_timeout(400)
        page.screenshot(path=str(OUT))
        browser.close()
    server.shutdown()
    print(f"wrote {OUT.relative_to(build.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
