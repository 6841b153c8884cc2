"""Offline (issue 9): after one visit the service worker has cached the exact
files of this build, so a reload without the network starts and trains -- at
the site's root and from a sub-path. A new build gets its own cache; the page
keeps running on its build's files and says a newer version is available."""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter

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


ACTIVE = """navigator.serviceWorker.getRegistration().then(
  (r) => Boolean(r && r.active && r.active.state === "activated" && !r.installing))"""
CACHED = """async () => {
  const [name] = await caches.keys();
  const cache = await caches.open(name);
  const base = new URL("./", location.href).href;
  const out = {};
  for (const req of await cache.keys()) {
    const body = await (await cache.match(req)).arrayBuffer();
    const sha = [...new Uint8Array(await crypto.subtle.digest("SHA-256", body))]
      .map((b) => b.toString(16).padStart(2, "0")).join("");
    out[req.url.slice(base.length)] = sha;
  }
  return out;
}"""


def first_visit(page, url) -> str:
    page.goto(url)
    page.evaluate("window.pynet.ready")
    # the worker installs (every file read through the HTTP cache and checked); it does
    # not take this page over: the next visit is its first
    deadline = time.monotonic() + HANG_GUARD_MS / 1000
    while not page.evaluate(ACTIVE):
        assert time.monotonic() < deadline, "the service worker did not install"
        page.wait_for_timeout(100)
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


def test_a_first_visit_downloads_every_file_once_and_the_cache_holds_the_builds_files_checked(
        sw_page, site):
    _ctx, page = sw_page
    first_visit(page, site.url)
    # every file's bytes once (a second module graph, the worker's, may revalidate: 304, no body)
    counts = Counter(rel for rel, status in site.server.responses if status == 200)
    assert [rel for rel, n in counts.items() if n > 1] == []
    assert set(counts) == set(site.server.log)
    b = built_files()
    cached = page.evaluate(CACHED)
    fetched = {"index.html" if rel == "" else rel for rel in counts}
    # every required file, and the optional ones (the heap snapshot) the visit fetched
    expected = {rel: sha for rel, sha in b["files"].items()
                if rel not in b["optional"] or rel in fetched}
    assert cached == expected
    assert set(b["optional"]) == {"pyodide/pynet.snapshot", "pyodide/python_stdlib_rest.zip"}
    assert "pyodide/python_stdlib_rest.zip" not in fetched   # nothing the page did needed it


def test_a_file_missing_from_the_cache_is_never_served_from_another_build(sw_page, site):
    _ctx, page = sw_page
    first_visit(page, site.url)
    page.reload()
    page.evaluate("window.pynet.ready")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    drop = """async () => { const [n] = await caches.keys();
      return (await caches.open(n)).delete(new URL("js/tour.js", location.href).href); }"""
    assert page.evaluate(drop)
    # a deploy put build 2's tour.js on the server: this build-1 page must not run it
    site.server.override["js/tour.js"] = (build.DIST / "js" / "tour.js").read_bytes() + b"\n// build 2\n"
    answer = page.evaluate("fetch('js/tour.js').then(async (r) => [r.status, await r.text()])")
    assert answer[0] == 503 and "// build 2" not in answer[1]
    assert "(a newer version was deployed): reload the page" in answer[1]
    # the server has this build's file again: it is fetched, checked, cached and served
    del site.server.override["js/tour.js"]
    answer = page.evaluate("fetch('js/tour.js').then(async (r) => [r.status, await r.text()])")
    assert answer == [200, (build.DIST / "js" / "tour.js").read_text()]
    assert "js/tour.js" in page.evaluate(CACHED)


def test_a_worker_installed_during_a_first_visit_never_takes_that_page_over(sw_page, site):
    _ctx, page = sw_page
    first_visit(page, site.url)
    page.evaluate("new Promise((r) => setTimeout(r, 500))")
    assert page.evaluate("navigator.serviceWorker.controller") is None
    assert page.evaluate("window.pynet.step(1)")["epoch"] == 1


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
