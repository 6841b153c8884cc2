"""Offline (issue 9): after one visit the service worker has cached the exact
files of this build, so a reload without the network starts and trains -- at
the site's root and from a sub-path. A new build gets its own cache; the page
keeps running on its build's files and says a newer version is available."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from conftest import HANG_GUARD_MS, build
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def sw_page(browser):
    ctx = browser.new_context(service_workers="allow", bypass_csp=True)
    ctx.set_default_timeout(HANG_GUARD_MS)
    page = ctx.new_page()
    yield ctx, page
    ctx.close()


def built_files() -> dict:
    text = (build.DIST / "sw.js").read_text()
    return json.loads(re.search(r"const BUILD = /\* written by build.py \*/ (\{.*\});", text).group(1))


def first_visit(page, url) -> str:
    page.goto(url)
    page.evaluate("window.pynet.ready")
    # the worker installs (every file fetched and checked) and takes this page over
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=HANG_GUARD_MS)
    return page.evaluate("caches.keys()")


def test_build_lists_every_file_of_dist_with_its_sha256():
    b = built_files()
    on_disk = {p.relative_to(build.DIST).as_posix() for p in build.DIST.rglob("*") if p.is_file()} - {"sw.js"}
    assert set(b["files"]) == on_disk
    for rel in ("index.html", "js/main.js", "pyodide/pyodide.asm.wasm"):
        assert b["files"][rel] == hashlib.sha256((build.DIST / rel).read_bytes()).hexdigest()


@pytest.mark.parametrize("sub_path", [False, True], ids=["root", "sub-path"])
def test_a_second_visit_starts_and_trains_offline(sw_page, site, sub_path):
    ctx, page = sw_page
    site.server.use_prefix = sub_path
    keys = first_visit(page, site.url)
    assert keys == [f"pynet-{built_files()['version']}"]
    ctx.set_offline(True)
    site.server.log.clear()
    page.reload()
    state = page.evaluate("window.pynet.ready")
    assert state["epoch"] == 0
    assert page.evaluate("window.pynet.step(2)")["epoch"] == 2
    expect(page.locator("#epoch")).to_have_text("2")
    # nothing of the page reached the server (Chromium's own update check for sw.js
    # bypasses the offline emulation; offline for real, it just fails)
    assert [f for f in site.server.log if f != "sw.js"] == []
    ctx.set_offline(False)


def test_a_new_build_is_cached_apart_and_the_page_says_a_newer_version_is_available(sw_page, site):
    _ctx, page = sw_page
    first_visit(page, site.url)
    old = built_files()
    # "build 2": one file changed, and the service worker that lists it
    tour = (build.DIST / "js" / "tour.js").read_bytes() + b"\n// build 2\n"
    new_files = dict(old["files"], **{"js/tour.js": hashlib.sha256(tour).hexdigest()})
    new_version = "build2-" + old["version"][:8]
    sw = (build.DIST / "sw.js").read_text().replace(
        json.dumps(old), json.dumps({"version": new_version, "files": new_files}))
    assert new_version in sw
    site.server.override["js/tour.js"] = tour
    site.server.override["sw.js"] = sw.encode()
    page.reload()               # the browser checks sw.js on navigation: build 2 installs and waits
    page.evaluate("window.pynet.ready")
    expect(page.locator("#notice")).to_contain_text("A newer version of pynet is available")
    page.wait_for_function(f"caches.keys().then((k) => k.includes('pynet-{new_version}'))")
    # this page still runs build 1's files, never a mix: its tour.js comes from build 1's cache
    served = page.evaluate("fetch('js/tour.js').then((r) => r.text())")
    assert "// build 2" not in served
    assert page.evaluate("window.pynet.step(1)")["epoch"] == 1
