"""Defects of the playground's data side (issue 8, fix8) in headless Chromium:
switching from a wide network (digits, 32 nodes) to 2-D data clamps the hidden
sizes to Python's limit and says so; own data is drawn with its own shape before
Python answers; the train/test split of own data survives a reload; at 390 px
the network's thumbnails keep a margin and no empty band follows the intro.
Screenshots go to test-results/data-fixes/."""

from __future__ import annotations

import contextlib
import json
import threading

import pytest
from playwright.sync_api import expect

from conftest import HANG_GUARD_MS, ROOT
from pynet.page import spec
from pynet.facade import LIMITS
from test_data import CSV3, click_plot, wait_drawn

pytestmark = pytest.mark.browser
SHOTS = ROOT / "test-results" / "data-fixes"


def shot(page, name: str, selector: str | None = None) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = page.locator(selector) if selector else page
    target.screenshot(path=str(SHOTS / f"{name}.png"))


# ---------------------------------------------------------------- 1. limits

def test_switching_from_digits_to_2d_data_clamps_hidden_and_says_so(app, console_errors):
    wide, narrow = LIMITS["hidden_nodes_wide"][1], LIMITS["hidden_nodes"][1]
    app.open("#dataset=digits&hidden=32,4")
    state = app.ready()
    assert state["layers"] == [64, 32, 4, 10]
    page = app.page
    page.select_option("#dataset", "circle")
    page.wait_for_function("window.pynet.state().then((s) => s.settings.dataset === 'circle')")
    state = app.call("window.pynet.state()")
    assert state["layers"] == [2, narrow, 4, 1]            # 32 -> 8; 4 fits and stays
    page.wait_for_function(f"location.hash.includes('dataset=circle') && location.hash.includes('hidden={narrow},4&')")
    notice = page.locator("#notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(f"1–{narrow} nodes")
    expect(notice).to_contain_text(f"32 → {narrow}")
    expect(page.locator("#dataset")).to_have_value("circle")
    # the limits the page uses are Python's, per data set (playground.shapes via build-info.js)
    shapes = app.call("import('./js/build-info.js').then((m) => m.default.settings.shapes)")
    assert shapes == json.loads(json.dumps(spec.shapes()))
    assert shapes["circle"]["hidden_nodes"] == LIMITS["hidden_nodes"]
    assert shapes["digits"]["hidden_nodes"] == [1, wide]
    # back to digits: the wider limit allows 8 as it is, nothing to clamp or say
    page.select_option("#dataset", "digits")
    page.wait_for_function("window.pynet.state().then((s) => s.layers.join() === '64,8,4,10')")
    expect(notice).to_be_hidden()
    # the same through setState (the API): a data set alone clamps, an explicit hidden is checked as given
    app.call("window.pynet.setState({hidden: [20]})")
    snap = app.call("window.pynet.setState({dataset: 'xor'})")
    assert snap["layers"] == [2, narrow, 1]
    err = app.call("window.pynet.setState({dataset: 'gauss', hidden: [20]}).then(() => null, (e) => e.message)")
    assert err is not None and "hidden" in err
    assert app.call("window.pynet.state()")["settings"]["dataset"] == "xor"
    assert console_errors == []


def test_choosing_kept_own_data_on_a_fresh_visit_clamps_hidden_too(app, page):
    # Python has no own data yet on a fresh visit: "your data" loads the kept CSV (data-panel.js)
    app.open("#dataset=xor&samples=40&seed=5")
    app.ready()
    app.call("window.pynet.addPoint(1.5, -2.5, 0)")                # kept: 2-D own data
    page.goto(app.page.url.split("#")[0] + "#dataset=digits&hidden=32")
    page.reload()
    assert app.ready()["layers"] == [64, 32, 10]
    page.select_option("#dataset", "custom")
    page.wait_for_function("window.pynet.state().then((s) => s.settings.dataset === 'custom')")
    assert app.call("window.pynet.state()")["layers"] == [2, LIMITS["hidden_nodes"][1], 1]
    expect(page.locator("#data-message")).to_contain_text(f"32 → {LIMITS['hidden_nodes'][1]}")
    page.wait_for_function("location.hash.includes('dataset=custom') && location.hash.includes('hidden=8&')")


# ---------------------------------------------------------------- 2. own data's shape

def fresh_page(browser, storage):
    """A new context (an empty HTTP cache, so a held runtime file really holds
    Python back) with this localStorage, set up as conftest's contexts."""
    context = browser.new_context(storage_state=storage, bypass_csp=True, service_workers="block")
    context.set_default_timeout(HANG_GUARD_MS)
    return context, context.new_page()


def test_own_data_is_drawn_with_its_own_shape_before_python_answers(app, browser, site):
    app.open()
    app.ready()
    page = app.page
    r = app.call(f"window.pynet.loadCSV({json.dumps(CSV3)})")     # 3 classes: 2-4-2-3
    assert r["layers"] == [2, 4, 2, 3]
    page.wait_for_function("localStorage.getItem('pynet.data.meta') !== null")
    gate = threading.Event()
    site.server.hold["pyodide/python_stdlib.zip"] = gate           # Python cannot answer yet
    context, fresh = fresh_page(browser, page.context.storage_state())
    try:
        fresh.goto(site.url + "#dataset=custom")
        fresh.wait_for_function("window.pynet.view() !== null")
        assert fresh.evaluate("window.pynet.phase") == "loading"
        nodes = fresh.evaluate("window.pynet.view().nodes.map((n) => n.l)")
        assert [nodes.count(l) for l in range(4)] == [2, 4, 2, 3]
        assert fresh.evaluate("window.pynet.view().edges.length") == 2 * 4 + 4 * 2 + 2 * 3
        gate.set()
        assert fresh.evaluate("window.pynet.ready")["layers"] == [2, 4, 2, 3]
    finally:
        gate.set()
        context.close()


STALE_META = json.dumps({"chars": len(CSV3) + 1, "shape": {"inputs": 2, "outputs": {"auto": 1},
                                                          "hidden_nodes": [1, 8]}, "split": None})


@pytest.mark.parametrize("meta", [None, STALE_META], ids=["no-meta", "another-csvs-meta"])
def test_own_data_stored_without_its_shape_is_not_drawn_as_a_guess(browser, site, meta):
    # data kept by an older page (no pynet.data.meta), or a meta entry that is not this
    # CSV's: nothing is drawn until Python answers
    gate = threading.Event()
    site.server.hold["pyodide/python_stdlib.zip"] = gate
    kept = [{"name": "pynet.data", "value": CSV3}, {"name": "pynet.intro", "value": "seen"}]
    if meta:
        kept.append({"name": "pynet.data.meta", "value": meta})
    storage = {"cookies": [], "origins": [{"origin": site.origin, "localStorage": kept}]}
    context, page = fresh_page(browser, storage)
    try:
        page.goto(site.url + "#dataset=custom")
        page.wait_for_function("document.getElementById('loading').hidden === false")
        page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
        assert page.evaluate("window.pynet.view()") is None
        gate.set()
        assert page.evaluate("window.pynet.ready")["layers"] == [2, 4, 2, 3]
        page.wait_for_function("window.pynet.view() !== null && window.pynet.view().nodes.length === 11")
    finally:
        gate.set()
        context.close()


# ---------------------------------------------------------------- 3. the split survives

def sets(app) -> tuple[list, list]:
    d = app.call("window.pynet._request({op: 'data'})")
    return d["train_x"], d["test_x"]


def test_own_data_split_survives_a_reload_and_a_rebuild(app, page, console_errors):
    app.open("#dataset=circle&samples=40&seed=5")
    state = app.ready()
    wait_drawn(app, state["train_size"], state["test_size"])
    click_plot(app, 2.0, 3.0)                                      # a training point, as shown
    page.wait_for_function(f"window.pynet.state().then((s) => s.train_size === {state['train_size'] + 1})")
    app.call("window.pynet.addPoint(-4, 1, 0)")
    train, test = sets(app)
    clicked = [x for x in train if abs(x[0] - 2) < 0.2 and abs(x[1] - 3) < 0.2]
    assert len(clicked) == 1 and [-4, 1] in train
    # a rebuild of the network (another hidden size) keeps the split
    app.call("window.pynet.setState({hidden: [3]})")
    assert sets(app) == (train, test)
    page.reload()
    state = app.ready()
    assert state["settings"]["dataset"] == "custom" and state["layers"] == [2, 3, 1]
    assert sets(app) == (train, test)                              # the very sets, in their order
    wait_drawn(app, len(train), len(test))
    # a new seed is a new split, asked for
    app.call("window.pynet.setState({seed: 6})")
    assert sets(app) != (train, test)
    assert console_errors == []


def test_a_worker_crash_restores_own_data_with_its_split(app, page):
    app.open("#dataset=circle&samples=40&seed=5")
    app.ready()
    app.call("window.pynet.addPoint(2, 3, 1)")
    app.call("window.pynet.addPoint(-4, 1, 0)")
    train, test = sets(app)
    page.wait_for_function("(() => { const c = window.pynet._recoveryCopies().settled;"
                           " return c && c.data !== null && c.split !== null && c.split.train.length === %d; })()"
                           % len(train))
    app.call("window.pynet._crashWorker()")
    page.wait_for_function("window.pynet.phase === 'ready' && document.querySelector('#notice').textContent.includes('restored')")
    expect(page.locator("#notice")).to_contain_text("your data")
    assert sets(app) == (train, test)


# ---------------------------------------------------------------- 4. phone layout

@contextlib.contextmanager
def phone_page(browser, site, hash):
    """A 390 px phone-sized page at ``site.url + hash``, Python ready."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                                  device_scale_factor=2, bypass_csp=True, service_workers="block")
    context.set_default_timeout(HANG_GUARD_MS)
    try:
        page = context.new_page()
        page.goto(site.url + hash)
        page.evaluate("window.pynet.ready")
        yield page
    finally:
        context.close()


def test_390_px_thumbnails_keep_a_margin_and_no_band_follows_the_intro(browser, site):
    with phone_page(browser, site, "#seed=3") as page:
        page.wait_for_function("document.getElementById('thumbs').dataset.thumbs === '7'")
        expect(page.locator("#intro")).to_be_visible()
        box = page.evaluate("""() => {
          const r = (e) => e.getBoundingClientRect();
          const view = r(document.getElementById('network-view'));
          return { view: [view.left, view.right], svg: r(document.getElementById('network')).right,
                   thumbs: [...document.querySelectorAll('#thumbs canvas')].map((c) => r(c).right),
                   intro: r(document.getElementById('intro')).bottom,
                   controls: r(document.getElementById('controls')).top }; }""")
        left, right = box["view"]
        assert box["svg"] <= right                     # the diagram stays inside its section
        assert max(box["thumbs"]) <= right - 4         # the output node's thumbnail: a margin
        gap = box["controls"] - box["intro"]
        assert 0 <= gap <= 24, f"{gap:.0f} px between the intro and the controls"
        shot(page, "phone-390-top")
        shot(page, "phone-390-network", "#network-view")


def test_390_px_eight_node_layers_keep_their_names_clear_of_the_nodes(browser, site):
    # each name sits above its node: with 8 nodes a layer used to be too short for it,
    # and ¹h2's name lay over ¹h1's circle
    with phone_page(browser, site, "#hidden=8,8&seed=3") as page:
        hits = page.evaluate("""() => {
          const boxes = (sel) => [...document.querySelectorAll(sel)].map((e) => e.getBoundingClientRect());
          const names = [...document.querySelectorAll('#network g.node text.name')]
            .filter((t) => t.textContent).map((t) => [t.textContent, t.getBoundingClientRect()]);
          const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
          const circles = boxes('#network g.node circle');
          return { names: names.length, hits: names.filter(([, r]) => circles.some((c) => meet(r, c)))
                                                    .map(([text]) => text) }; }""")
        assert hits["names"] == 2 + 8 + 8 + 1
        assert hits["hits"] == [], f"names over a node: {hits['hits']}"


def test_a_2d_csv_pasted_over_digits_fits_hidden_and_says_so(app, console_errors):
    # only Python knows a CSV's shape: load_csv fits the hidden sizes in use to it
    narrow = LIMITS["hidden_nodes"][1]
    app.open("#dataset=digits&hidden=32")
    app.ready()
    csv = "x1,x2,label\n" + "".join(f"{i % 4},{(i * 3) % 5},{'ab'[i % 2]}\n" for i in range(12))
    r = app.call(f"window.pynet.loadCSV({json.dumps(csv)})")
    assert r["layers"] == [2, narrow, 1] and r["hidden_resized"]["from"] == [32]
    message = app.page.locator("#data-message")
    expect(message).to_contain_text("Loaded 12 rows")
    expect(message).to_contain_text(f"32 → {narrow}")
    app.page.wait_for_function(f"location.hash.includes('hidden={narrow}')")
    assert console_errors == []
