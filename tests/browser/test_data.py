"""The data side of the playground in headless Chromium (issue 8): data sets
incl. iris and digits, the heatmap from Python's grid op, neuron thumbnails,
own data (click, Shift-click, remove, clear, CSV paste/upload/export, kept in
localStorage across a reload), window.pynet.loadCSV/addPoint/exportData, and
the sample of a one-sample step highlighted on the plot; switching from a wide
network (digits, 32 nodes) to 2-D data clamps the hidden sizes to Python's
limit and says so; own data is drawn with its own shape before Python answers,
and its train/test split survives a reload and a rebuild. Screenshots go to
test-results/data/."""

from __future__ import annotations

import json
import threading

import pytest
from conftest import HANG_GUARD_MS, ROOT
from playwright.sync_api import expect

from pynet.facade import LIMITS
from pynet.page import spec, tabular

pytestmark = pytest.mark.browser
SHOTS = ROOT / "test-results" / "data"

PLOT = "#data-plot"


def shot(app, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    app.page.locator("#data-view").screenshot(path=str(SHOTS / f"{name}.png"))


HEAT = "document.querySelector('#data-figure canvas.heat').toDataURL()"


def heat_href(app) -> str:
    """The heatmap's pixels (as a PNG data URL, to compare)."""
    return app.call(HEAT)


def wait_drawn(app, train: int, test: int) -> None:
    app.page.wait_for_function(
        f"() => {{ const s = document.querySelector('{PLOT}');"
        f" return s.dataset.train === '{train}' && s.dataset.test === '{test}' && s.dataset.heat; }}")


def at(app, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of data point (x, y) on the plot, from the axes' own domain."""
    return tuple(app.page.evaluate("""([x, y]) => {
      const s = document.querySelector('#data-plot');
      const [[x0, x1], [y0, y1]] = JSON.parse(s.dataset.domain);
      const [l, t, r, b] = s.dataset.area.split(',').map(Number);
      const p = new DOMPoint(l + (x - x0) / (x1 - x0) * (r - l), b - (y - y0) / (y1 - y0) * (b - t))
        .matrixTransform(s.getScreenCTM());
      return [p.x, p.y]; }""", [x, y]))


def click_plot(app, x: float, y: float, modifiers=None) -> None:
    app.page.locator(PLOT).scroll_into_view_if_needed()
    px, py = at(app, x, y)
    app.page.mouse.move(px, py)
    for m in modifiers or []:
        app.page.keyboard.down(m)
    app.page.mouse.down()
    app.page.mouse.up()
    for m in modifiers or []:
        app.page.keyboard.up(m)


def test_default_data_plot_has_points_and_a_heatmap_that_changes_with_training(app, console_errors):
    app.open()
    state = app.ready()
    wait_drawn(app, state["train_size"], state["test_size"])
    assert app.call("document.querySelectorAll('#data-plot .points.train circle').length") == state["train_size"]
    assert app.call("document.querySelectorAll('#data-plot .points.test circle').length") == state["test_size"]
    # test points are hollow: white fill, coloured stroke
    fill = app.call("getComputedStyle(document.querySelector('#data-plot .points.test circle')).fill")
    assert fill == "rgb(255, 255, 255)"
    before = heat_href(app)
    assert before.startswith("data:image/png")
    shot(app, "circle-before")
    app.call("window.pynet.step(30)")
    app.page.wait_for_function(f"{HEAT} !== {before!r}")
    shot(app, "circle-after-30-epochs")
    # every hidden and output node carries a thumbnail (2-4-2-1: 7 nodes)
    app.page.wait_for_function("document.getElementById('thumbs').dataset.thumbs === '7'")
    assert "Input scaling: none (the network" in app.page.locator("#data-scaling").text_content()
    assert console_errors == []


def last_row(csv_text: str) -> list[str]:
    return csv_text.strip().split("\n")[-1].split(",")


def test_clicks_add_points_of_the_chosen_and_the_other_class_and_alt_click_removes(app, console_errors):
    app.open("#dataset=circle&samples=100")
    state = app.ready()
    n = state["train_size"]
    wait_drawn(app, n, state["test_size"])
    assert app.page.locator("#point-class").input_value() == "1"
    domain = app.call("document.querySelector('#data-plot').dataset.domain")
    click_plot(app, 2.0, 3.0)
    app.page.wait_for_function(f"window.pynet.state().then((s) => s.train_size === {n + 1})")
    wait_drawn(app, n + 1, state["test_size"])
    # own 2-D data keeps the ±6 plane: the plot does not jump under the user's clicks
    assert app.call("document.querySelector('#data-plot').dataset.domain") == domain == "[[-6,6],[-6,6]]"
    row = last_row(app.call("window.pynet.exportData()"))
    assert abs(float(row[0]) - 2.0) < 0.2 and abs(float(row[1]) - 3.0) < 0.2 and row[2] == "1"
    click_plot(app, -3.0, -1.0, ["Shift"])
    app.page.wait_for_function(f"window.pynet.state().then((s) => s.train_size === {n + 2})")
    row = last_row(app.call("window.pynet.exportData()"))
    assert abs(float(row[0]) + 3.0) < 0.2 and abs(float(row[1]) + 1.0) < 0.2 and row[2] == "0"
    state = app.call("window.pynet.state()")
    assert state["settings"]["dataset"] == "custom"
    assert "dataset=custom" in app.call("location.hash")
    wait_drawn(app, n + 2, state["test_size"])
    shot(app, "clicked-points")
    # the network stays: adding points does not reset the epoch or weights
    assert state["epoch"] == 0
    click_plot(app, -3.0, -1.0, ["Alt"])
    app.page.wait_for_function(f"window.pynet.state().then((s) => s.train_size === {n + 1})")
    assert "-3." not in app.call("window.pynet.exportData()").split("\n")[-2]
    # Clear removes every point
    app.page.click("#data-clear")
    app.page.wait_for_function("window.pynet.state().then((s) => s.train_size === 0 && s.test_size === 0)")
    wait_drawn(app, 0, 0)
    assert console_errors == []


def test_add_point_api_and_own_data_survive_a_reload(app, page):
    app.open("#dataset=xor&samples=40&seed=5")
    app.ready()
    state = app.call("window.pynet.addPoint(1.5, -2.5, 0)")
    assert state["settings"]["dataset"] == "custom" and state["train_size"] == 21
    csv = app.call("window.pynet.exportData()")
    assert last_row(csv) == ["1.5", "-2.5", "0"]
    assert app.call("localStorage.getItem('pynet.data')") == csv
    assert "pynet.data" in page.locator("#data-storage").text_content()
    assert "dataset=custom" in app.call("location.hash")
    page.reload()
    state = app.ready()
    assert state["settings"]["dataset"] == "custom"
    assert state["train_size"] + state["test_size"] == 41
    assert app.call("window.pynet.exportData()") == csv
    wait_drawn(app, state["train_size"], state["test_size"])
    shot(app, "own-data-after-reload")


CSV3 = "a,b,kind\n" + "\n".join(
    f"{x / 10},{(x * 7 % 13) / 5},{'red' if x % 3 == 0 else 'green' if x % 3 == 1 else 'blue'}"
    for x in range(-30, 30))


def test_csv_paste_loads_export_round_trips_and_upload_loads(app, page, tmp_path):
    app.open()
    app.ready()
    page.fill("#csv-text", CSV3)
    page.click("#csv-load")
    page.wait_for_function("window.pynet.state().then((s) => s.settings.dataset === 'custom' && s.layers.at(-1) === 3)")
    state = app.call("window.pynet.state()")
    assert state["layers"][0] == 2 and state["classes"] == ["blue", "green", "red"]
    assert state["train_size"] + state["test_size"] == 60
    expect(page.locator("#data-message")).to_contain_text("Loaded 60 rows")
    wait_drawn(app, state["train_size"], state["test_size"])
    shot(app, "pasted-csv")
    exported = app.call("window.pynet.exportData()")
    a, b = tabular.parse_csv(CSV3), tabular.parse_csv(exported)
    assert (a.x, a.y, a.classes, a.features) == (b.x, b.y, b.classes, b.features)
    # upload: a file with the exported text gives the same data
    f = tmp_path / "mine.csv"
    f.write_text("x1,x2,y\n0.5,1,0\n1.5,2,1\n-1,0.25,0\n2,-2,1\n", encoding="utf-8")
    page.set_input_files("#csv-file", str(f))
    page.wait_for_function("window.pynet.state().then((s) => s.train_size + s.test_size === 4)")
    assert app.call("window.pynet.exportData()") == "x1,x2,y\n0.5,1,0\n1.5,2,1\n-1,0.25,0\n2,-2,1\n"  # whole numbers without .0


def test_load_csv_rejects_naming_line_and_column_and_keeps_the_data(app, page):
    app.open("#dataset=gauss&samples=50")
    app.ready()
    before = app.call("window.pynet.exportData()")
    err = app.call("window.pynet.loadCSV('x1,x2,label\\n1,2,a\\n3,oops,b').then(() => null, (e) => e.message)")
    assert err is not None and "line 3, column 2" in err and "oops" in err
    assert app.call("window.pynet.exportData()") == before
    assert app.call("window.pynet.state()")["settings"]["dataset"] == "gauss"
    # the same through the page's textarea: the message is shown, nothing changes
    page.fill("#csv-text", "1,2,a\n3,4\n")
    page.click("#csv-load")
    expect(page.locator("#data-message")).to_contain_text("line 2, column 3")
    assert app.call("window.pynet.exportData()") == before


def test_iris_layers_features_select_and_scaling(app, page, console_errors):
    # before Python is ready the page already knows iris' shape (from build-info.js)
    app.open("#dataset=iris")
    sizes = app.call("import('./js/settings.js').then((m) => [m.layerSizes({dataset: 'iris', hidden: [4, 2], output_activation: 'auto'}),"
                     " m.layerSizes({dataset: 'digits', hidden: [32], output_activation: 'auto'})])")
    assert sizes == [[4, 4, 2, 3], [64, 32, 10]]
    state = app.ready()
    assert state["layers"] == [4, 4, 2, 3]
    wait_drawn(app, state["train_size"], state["test_size"])
    expect(page.locator("#feature-pick")).to_be_visible()
    expect(page.locator("#data-scaling")).to_contain_text("standardised")
    assert page.locator("#feature-x option").all_text_contents() == tabular.IRIS_FEATURES
    first = app.call("document.querySelector('#data-plot .points.train circle').getAttribute('cx')")
    heat = heat_href(app)
    page.select_option("#feature-x", "2")
    page.select_option("#feature-y", "3")
    page.wait_for_function("location.hash.includes('features=2,3')")
    page.wait_for_function(f"document.querySelector('#data-plot .points.train circle').getAttribute('cx') !== {first!r}")
    page.wait_for_function(f"{HEAT} !== {heat!r}")
    assert "petal length" in page.locator("#data-plot").text_content()
    shot(app, "iris-petals")
    assert console_errors == []


def test_digits_show_sample_images_with_predictions_and_mistakes_marked(app, page):
    app.open("#dataset=digits&hidden=32")
    state = app.ready()
    assert state["layers"] == [64, 32, 10]
    expect(page.locator("#digits")).to_be_visible()
    expect(page.locator("#data-plot")).to_be_hidden()
    expect(page.locator("#data-scaling")).to_contain_text("divided by 16")
    page.wait_for_function("document.querySelectorAll('#digits figure.digit').length === 40")
    app.call("window.pynet.step(3)")
    page.wait_for_function("[...document.querySelectorAll('#digits .digit')].every((f) => f.dataset.predicted !== '')")
    figs = page.evaluate("[...document.querySelectorAll('#digits .digit')].map((f) => [f.dataset.actual, f.dataset.predicted, f.classList.contains('wrong')])")
    assert all((a != p) == wrong for a, p, wrong in figs)
    # the page's marks agree with Python's own predictions of those images
    state = app.call("window.pynet.state()")
    assert state["test_accuracy"] is not None
    shot(app, "digits")
    assert page.locator("#thumbs").get_attribute("data-thumbs") == "0"   # no thumbnails: not 2-D


def test_one_sample_step_highlights_its_sample_on_the_plot(app, page):
    app.open("#speed=0.25")
    state = app.ready()
    wait_drawn(app, state["train_size"], state["test_size"])
    app.call("() => { window.__t = window.pynet.stepSample(); }")
    page.wait_for_function("document.querySelector('#data-plot .sample-highlight').getAttribute('display') !== 'none'")
    idx = page.get_attribute("#data-plot .sample-highlight", "data-index")
    shot(app, "sample-highlight")
    app.call("window.__t")
    assert int(idx) == app.call("window.pynet.view().sample.index")


def test_heatmap_refreshes_while_playing(app, page):
    app.open()
    state = app.ready()
    wait_drawn(app, state["train_size"], state["test_size"])
    before = int(page.get_attribute(PLOT, "data-refreshes"))
    app.call("window.pynet.play()")
    page.wait_for_function(f"Number(document.querySelector('{PLOT}').dataset.refreshes) >= {before + 5}")
    app.call("window.pynet.pause()")
    # the play loop's grids are coarse (n = 25), the paused view's fine again
    page.wait_for_function(f"document.querySelector('{PLOT}').dataset.heat === '50'")


def test_discretize_toggle_is_in_the_hash_and_changes_the_heatmap(app, page):
    app.open("#dataset=xor")
    state = app.ready()
    wait_drawn(app, state["train_size"], state["test_size"])
    app.call("window.pynet.step(5)")
    smooth = heat_href(app)
    page.check("#discretize")
    page.wait_for_function("location.hash.includes('discretize=true')")
    page.wait_for_function(f"{HEAT} !== {smooth!r}")
    # discretized: every cell is one of the two class colours
    colours = page.evaluate("""() => { const c = document.querySelector('#data-figure canvas.heat');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const s = new Set();
      for (let i = 0; i < d.length; i += 4) s.add(`${d[i]},${d[i+1]},${d[i+2]}`); return [...s]; }""")
    assert 1 <= len(colours) <= 2 and set(colours) <= {"245,147,34", "8,119,189"}
    shot(app, "xor-discretized")
    page.reload()
    app.ready()
    expect(page.locator("#discretize")).to_be_checked()


def test_regression_heatmap_and_target_points(app, page):
    app.open("#dataset=plane")
    state = app.ready()
    assert state["kind"] == "regression"
    wait_drawn(app, state["train_size"], state["test_size"])
    expect(page.locator("#target-label")).to_be_visible()
    expect(page.locator("#class-label")).to_be_hidden()
    page.fill("#point-target", "0.75")
    click_plot(app, 1.0, 1.0)
    page.wait_for_function(f"window.pynet.state().then((s) => s.train_size === {state['train_size'] + 1})")
    assert last_row(app.call("window.pynet.exportData()"))[2] == "0.75"


def test_long_press_on_touch_adds_the_other_class(app, page):
    app.open("#dataset=circle&samples=60")
    state = app.ready()
    wait_drawn(app, state["train_size"], state["test_size"])
    page.locator(PLOT).scroll_into_view_if_needed()
    x, y = at(app, -4.0, 4.0)
    page.evaluate("""([x, y]) => { const s = document.querySelector('#data-plot');
      const o = { clientX: x, clientY: y, pointerType: 'touch', bubbles: true, isPrimary: true };
      s.dispatchEvent(new PointerEvent('pointerdown', o));
      return new Promise((r) => setTimeout(() => { s.dispatchEvent(new PointerEvent('pointerup', o)); r(); }, 700)); }""",
                  [x, y])
    page.wait_for_function(f"window.pynet.state().then((s) => s.train_size === {state['train_size'] + 1})")
    row = last_row(app.call("window.pynet.exportData()"))
    assert row[2] == "0" and abs(float(row[0]) + 4) < 0.2 and abs(float(row[1]) - 4) < 0.2
    # a short tap adds the chosen class
    page.evaluate("""([x, y]) => { const s = document.querySelector('#data-plot');
      const o = { clientX: x, clientY: y, pointerType: 'touch', bubbles: true, isPrimary: true };
      s.dispatchEvent(new PointerEvent('pointerdown', o)); s.dispatchEvent(new PointerEvent('pointerup', o)); }""",
                  [x, y])
    page.wait_for_function(f"window.pynet.state().then((s) => s.train_size === {state['train_size'] + 2})")
    assert last_row(app.call("window.pynet.exportData()"))[2] == "1"


def test_switching_data_sets_with_the_select_follows_in_state_plot_and_images(app, page):
    app.open()
    state = app.ready()
    wait_drawn(app, state["train_size"], state["test_size"])
    page.select_option("#dataset", "iris")
    page.wait_for_function("window.pynet.state().then((s) => s.layers.join() === '4,4,2,3')")
    state = app.call("window.pynet.state()")
    wait_drawn(app, state["train_size"], state["test_size"])
    assert state["train_size"] + state["test_size"] == 150
    expect(page.locator("#feature-pick")).to_be_visible()
    page.wait_for_function("document.getElementById('thumbs').dataset.thumbs === '0'")  # 4 inputs: none
    page.select_option("#dataset", "digits")
    page.wait_for_function("window.pynet.state().then((s) => s.layers.join() === '64,4,2,10')")
    page.wait_for_function("document.querySelectorAll('#digits figure.digit').length === 40")
    expect(page.locator("#data-plot")).to_be_hidden()
    page.select_option("#dataset", "spiral")
    page.wait_for_function("window.pynet.state().then((s) => s.layers.join() === '2,4,2,1')")
    state = app.call("window.pynet.state()")
    wait_drawn(app, state["train_size"], state["test_size"])
    expect(page.locator("#digits")).to_be_hidden()
    page.wait_for_function("document.getElementById('thumbs').dataset.thumbs === '7'")
    assert "dataset=spiral" in app.call("location.hash")


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
