"""The Content-Security-Policy (issue 9): only the page's own origin plus what
WebAssembly and the worker need. The page loads, trains, plays, steps with the
animation and runs the Python panel under it with no violation and no request
leaving the origin -- with the meta tag that dist/index.html carries, and with
the same policy sent as a header on every file (the worker included), as the
README tells hosts to do. (Other tests bypass the CSP: see conftest.py.)"""

from __future__ import annotations

import pytest
from conftest import HANG_GUARD_MS, build
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LISTEN = """window.__violations = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));"""


def policy() -> str:
    from tools.site_files import csp_of
    return csp_of((build.DIST / "index.html").read_text())


@pytest.fixture
def strict(browser, site):
    """A page in a context that keeps the CSP; every request to another origin is
    aborted and recorded, console errors (page and worker) are collected."""
    ctx = browser.new_context(bypass_csp=False, service_workers="block")
    ctx.set_default_timeout(HANG_GUARD_MS)
    foreign: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith((site.origin + "/", "data:")):
            route.continue_()
        else:
            foreign.append(url)
            route.abort("blockedbyclient")

    ctx.route("**/*", guard)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.on("worker", lambda w: w.on("console", lambda m: errors.append(m.text) if m.type == "error" else None))
    page.add_init_script(LISTEN)
    yield page, foreign, errors
    ctx.close()
    assert foreign == [], f"the page tried to reach other hosts: {foreign}"


def exercise(page, site) -> None:
    page.goto(site.url)
    first = page.evaluate("window.pynet.ready")
    assert first["epoch"] == 0
    assert page.evaluate("window.pynet.step(3)")["epoch"] == 3
    page.evaluate("window.pynet.stepSample()")
    page.evaluate("window.pynet.play()")
    page.wait_for_function("() => window.pynet.stats().snapshots > 5")   # a function: no eval
    page.evaluate("window.pynet.pause()")
    page.fill("#python-code", "net.weights[0][0][0] = 0.25")
    page.click("#python-run")
    expect(page.locator("#python-output")).to_have_text("(no output)")
    assert page.evaluate("window.pynet.state()")["weights"][0][0][0] == 0.25


def test_the_page_works_under_its_csp_meta_tag_with_no_violation(strict, site):
    page, _foreign, errors = strict
    csp = policy()
    assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    exercise(page, site)
    assert page.evaluate("window.__violations") == []
    assert not [e for e in errors if "Content Security Policy" in e], errors
    # the policy is in force: an injected inline script is refused (and reported)
    page.evaluate("(() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
                  " document.body.append(s); })()")
    page.wait_for_function("() => window.__violations.length > 0")
    assert page.evaluate("typeof window.ran") == "undefined"
    assert page.evaluate("window.__violations")[0].startswith("script-src")


def test_the_same_policy_as_a_header_on_every_file_worker_included(strict, site):
    page, _foreign, errors = strict
    site.server.headers["Content-Security-Policy"] = policy()
    exercise(page, site)
    assert page.evaluate("window.__violations") == []
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


def test_a_load_failure_is_still_reported_under_the_csp(strict, site):
    """The inline fallback (index.html's pageFailed, allowed by its hash) still runs."""
    page, _foreign, _errors = strict
    site.server.blocked.add("js/store.js")
    page.goto(site.url)
    expect(page.locator("#error")).to_be_visible()
    expect(page.locator("#error-text")).to_contain_text("js/store.js (HTTP 404)")
    assert page.evaluate("window.__violations") == []
