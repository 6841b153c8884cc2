"""The Python panel (issues 8 and 9): code changes the live network and the views
follow; exceptions, huge output, `import js` and HTML are harmless; a runaway loop
is stopped (Stop, or after RUN_LIMIT_MS) by replacing the worker, and the page's
copy of settings and weights is restored."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def run(page, code: str, *, click: bool = True) -> None:
    page.fill("#python-code", code)
    if click:
        page.click("#python-run")
    else:
        page.focus("#python-code")
        page.keyboard.press("Control+Enter")


def output(page) -> str:
    page.wait_for_function(
        "(() => { const t = document.querySelector('#python-output').textContent;"
        " return t && t !== 'Running…'; })()")
    return page.locator("#python-output").text_content()


def test_code_changes_a_weight_and_the_views_follow(app, console_errors):
    app.open()
    app.ready()
    page = app.page
    run(page, "net.weights[0][0][0] = 0.5\nnet.weights[0][0]")
    out = output(page)
    assert out.startswith("[0.5, ")
    assert app.call("window.pynet.state()")["weights"][0][0][0] == 0.5
    # the network view draws the new weight (a fresh snapshot after the run)
    page.wait_for_function("window.pynet.view().edges.some((e) => e.l === 0 && e.k === 0 && e.j === 0 && e.weight === 0.5)")
    assert console_errors == []


def test_ctrl_enter_runs_and_an_exception_shows_its_traceback_and_changes_nothing(app):
    app.open()
    app.ready()
    page = app.page
    before = app.call("window.pynet.state()")
    run(page, "net.weights[0][0][0] = 123.0\n1 / 0", click=False)
    out = output(page)
    assert "Traceback" in out and "ZeroDivisionError" in out and 'File "<panel>", line 2' in out
    assert "put back" in out
    expect(page.locator("#python-output")).to_have_class("failed")
    after = app.call("window.pynet.state()")
    assert after["weights"] == before["weights"] and after["epoch"] == before["epoch"]


def test_huge_output_is_truncated_with_a_note(app):
    app.open()
    app.ready()
    run(app.page, "print('x' * 1_000_000)")
    out = output(app.page)
    assert "[output truncated:" in out and len(out) < 25_000


def test_import_js_cannot_reach_the_page_and_printed_html_stays_text(app, console_errors):
    app.open()
    app.ready()
    page = app.page
    run(page, "import js\njs.document")   # a worker has no document: the page's DOM is out of reach
    out = output(page)
    assert "AttributeError" in out and "document" in out
    run(page, "print('<img id=\"pwn\" src=x onerror=\"window.pwned=1\"><b id=\"bold\">b</b>')")
    page.wait_for_function("document.querySelector('#python-output').textContent.includes('<img')")
    assert page.locator("#pwn").count() == 0 and page.locator("#bold").count() == 0
    assert app.call("window.pwned === undefined")
    assert console_errors == []


def test_nothing_from_the_url_is_run_or_put_in_the_panel(app):
    app.open("#code=net.weights[0][0][0]%3D9&python=print(1)")
    first = app.ready()
    page = app.page
    expect(page.locator("#notice")).to_contain_text('unknown setting "code"')
    expect(page.locator("#notice")).to_contain_text('unknown setting "python"')
    assert "9" not in page.locator("#python-code").input_value()
    assert page.locator("#python-output").text_content() == ""
    assert app.call("window.pynet.state()")["weights"] == first["weights"]


def _restored_after(app, stop) -> None:
    """Train, remember the state, run a runaway loop, stop it with `stop`; the
    state (settings, epoch, weights) comes back in a new worker."""
    app.open("#dataset=xor&learning_rate=0.1&hidden=3&seed=7")
    app.ready()
    page = app.page
    app.call("window.pynet.step(3)")
    page.wait_for_function("window.pynet._recoveryCopies().settled && window.pynet._recoveryCopies().settled.epoch === 3")
    before = app.call("window.pynet.state()")
    run(page, "while True:\n    pass")
    expect(page.locator("#python-stop")).to_be_enabled()
    stop(page)
    expect(page.locator("#python-output")).to_contain_text("Python was restarted")
    page.wait_for_function("window.pynet.phase === 'ready' && !document.querySelector('#notice').hidden "
                           "&& document.querySelector('#notice').textContent.includes('restored')")
    expect(page.locator("#notice")).to_contain_text("the weights of epoch 3")
    after = app.call("window.pynet.state()")
    assert after["settings"] == before["settings"]
    assert after["epoch"] == 3 and after["weights"] == before["weights"] and after["biases"] == before["biases"]
    expect(page.locator("#epoch")).to_have_text("3")
    # training and the panel go on in the new worker
    assert app.call("window.pynet.step(1)")["epoch"] == 4
    run(page, "net.layers")
    assert output(page).strip() == "[2, 3, 1]"


def test_stop_replaces_a_runaway_loop_and_restores_the_state(app):
    _restored_after(app, lambda page: page.click("#python-stop"))


def test_a_runaway_loop_is_stopped_after_the_time_limit(app):
    t0 = []
    def wait(page):
        t0.append(page.evaluate("performance.now()"))
        page.wait_for_function("document.querySelector('#python-output').textContent.includes('more than 5 s')",
                               timeout=90_000)
        t0.append(page.evaluate("performance.now()"))
    _restored_after(app, wait)
    assert t0[1] - t0[0] >= 4_000  # not before the limit


REST = "pyodide/python_stdlib_rest.zip"


def test_a_stdlib_module_outside_the_first_download_is_fetched_when_first_imported(app, site):
    app.open()
    app.ready()
    # a whole session of the page's own work never needs the rest of the stdlib
    app.call("window.pynet.step(2)")
    run(app.page, "print(net.layers)")
    assert output(app.page).startswith("[2, 4, 2, 1]")
    assert REST not in site.server.log
    run(app.page, "import colorsys, json.tool\nprint(colorsys.rgb_to_hsv(1.0, 0.0, 0.0), json.tool.__name__)")
    assert output(app.page).startswith("(0.0, 1.0, 1.0) json.tool")
    assert site.server.log.count(REST) == 1
    run(app.page, "import this")       # from the zip already there: no second download
    assert "Beautiful is better than ugly." in output(app.page)
    assert site.server.log.count(REST) == 1


def test_a_stdlib_module_that_cannot_be_downloaded_says_why_and_the_next_import_tries_again(app, site):
    site.server.blocked.add(REST)
    app.open()
    app.ready()
    run(app.page, "import colorsys")
    out = output(app.page)
    assert "ModuleNotFoundError" in out or "ImportError" in out
    assert ("module 'colorsys' is part of Python's standard library that the page downloads only "
            "when it is first needed, and that download failed (python_stdlib_rest.zip: HTTP 404") in out
    site.server.blocked.discard(REST)
    run(app.page, "import colorsys\nprint(colorsys.__name__)")
    assert output(app.page).startswith("colorsys")
