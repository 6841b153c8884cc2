"""The playground's settings through the URL hash: web/js/settings.js parses
every setting pynet/facade.py defines (limits from build-info.js). A bad value
is named in the notice and the rest applies; HTML, script and javascript:
values are shown as text, never inserted or run; a 100 kB hash gets a short
notice and the page stays responsive."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_every_new_setting_is_read_from_the_hash(app, console_errors):
    app.open("#dataset=iris&hidden=8&activation=relu&output_activation=auto&loss=auto"
             "&l1=0.001&l2=0.002&bias=false&init=xavier&update=course&target_loss=0.01"
             "&max_epoch=50")
    s = app.ready()
    want = {"dataset": "iris", "hidden": [8], "activation": "relu", "output_activation": "auto",
            "loss": "auto", "l1": 0.001, "l2": 0.002, "bias": False, "init": "xavier",
            "update": "course", "target_loss": 0.01, "max_epoch": 50}
    assert {k: s["settings"][k] for k in want} == want
    assert s["layers"] == [4, 8, 3] and s["activations"] == ["relu", "softmax"]
    assert all(v == 0.0 for b in s["biases"] for v in b)
    expect(app.page.locator("#notice")).to_be_hidden()
    assert console_errors == []


def test_one_activation_per_layer_and_back_into_the_hash(app):
    app.open("#hidden=3,2&activation=relu,sigmoid")
    s = app.ready()
    assert s["activations"] == ["relu", "sigmoid", "tanh"]
    app.call("window.pynet.setState({ bias: false, activation: ['tanh', 'relu'] })")
    h = app.call("location.hash")
    assert "bias=false" in h and "activation=tanh,relu" in h
    assert app.call("window.pynet.state()")["activations"] == ["tanh", "relu", "tanh"]


def test_bad_new_settings_are_named_in_the_notice(app):
    app.open("#bias=maybe&update=adam&activation=tanh,soft&max_epoch=-1&hidden=65")
    s = app.ready()
    notice = app.page.locator("#notice")
    for words in ('bias: expected true or false, got "maybe"', "update: expected one of exact",
                  ('activation: expected one of tanh, sigmoid, relu, linear (or a list, one per '
                  'hidden layer), got "soft"'), "max_epoch: expected a whole number from 0",
                  "hidden"):
        expect(notice).to_contain_text(words)
    assert s["settings"]["bias"] is True and s["settings"]["update"] == "exact"


def test_a_layer_too_wide_for_2d_data_is_refused_by_pynet(app):
    app.open("#dataset=xor&hidden=20")
    app.ready()
    expect(app.page.locator("#notice")).to_contain_text(
        "hidden[0]: expected a whole number from 1 to 8, got 20 (for 2-D data")


def no_markup_in_notice(app) -> None:
    assert app.call("document.querySelectorAll('#notice *').length") == 0


@pytest.mark.parametrize("hash, key, words", [
    ("#colour=red&dataset=xor", None, 'unknown setting "colour"'),
    # keys that are names on every JS object's prototype are unknown keys like any other
    ("#constructor=1&dataset=xor", None, 'unknown setting "constructor"'),
    ("#__proto__=1&dataset=xor", None, 'unknown setting "__proto__"'),
    ("#toString=1&dataset=xor", None, 'unknown setting "toString"'),
    ("#learning_rate=99&dataset=xor", "learning_rate", "learning_rate: expected a number from 0.00001 to 10, got 99"),
    ("#noise=abc&dataset=xor", "noise", 'noise: expected a number, got "abc"'),
    ("#batch_size=2.5&dataset=xor", "batch_size", 'batch_size: expected a whole number, got "2.5"'),
    ("#hidden=8,8,8,8,8,8,8,8&dataset=xor", "hidden", "hidden: expected at most 6 hidden layers, got 8"),
    ("#hidden=1000000000&dataset=xor", "hidden", "hidden: each layer needs 1 to 64 nodes"),
    ("#seed=-1&dataset=xor", "seed", "seed: expected a whole number from 0"),
])
def test_a_bad_hash_value_is_named_and_the_rest_applies(app, hash, key, words):
    app.open(hash)
    first = app.ready()
    notice = app.page.locator("#notice")
    expect(notice).to_contain_text(words)
    no_markup_in_notice(app)
    defaults = app.call("import('./js/settings.js').then((m) => m.DEFAULTS)")
    assert first["settings"]["dataset"] == "xor"            # the good part of the hash applied
    if key:
        assert first["settings"][key] == defaults[key]      # the bad value replaced by the default
    assert app.call("window.pynet.step(1)")["epoch"] == 1   # responsive


def test_html_script_and_javascript_values_are_shown_as_text_never_run(app, console_errors):
    payload = {"dataset": "<script>window.pwned=1</script>", "activation": "<img src=x onerror=window.pwned=2>",
               "init": "javascript:window.pwned=3", "<b id=bold>k</b>": "1",
               "preset": "<svg onload=window.pwned=4>", "learning_rate": "0.1"}
    app.open("#" + urlencode(payload))
    first = app.ready()
    page = app.page
    notice = page.locator("#notice")
    for text in ('dataset: expected one of', '"<script>window.pwned=1</script>"', '"<img src=x onerror=window.pwned=2>"',
                 '"javascript:window.pwned=3"', 'unknown setting "<b id=bold>k</b>"', "preset:"):
        expect(notice).to_contain_text(text)
    no_markup_in_notice(app)
    assert first["settings"]["learning_rate"] == 0.1
    # a hash change on the live page: the same
    page.evaluate("location.hash = '#activation=' + encodeURIComponent('<img src=x onerror=window.pwned=5>')")
    expect(notice).to_contain_text("onerror=window.pwned=5")
    no_markup_in_notice(app)
    page.wait_for_timeout(300)
    html = app.call("document.documentElement.outerHTML")
    assert "<img src=x" not in html and "<script>window" not in html and "<svg onload" not in html
    assert page.locator("#bold").count() == 0
    assert app.call("typeof window.pwned") == "undefined"
    assert console_errors == []


def test_a_100_kb_hash_gives_a_short_notice_naming_the_keys_and_the_page_stays_responsive(app):
    hash = "#seed=" + "9" * 100_000 + "&" + "&".join(f"k{i}=1" for i in range(300)) + "&dataset=xor"
    assert len(hash) > 100_000
    app.open(hash)
    first = app.ready()
    notice = app.page.locator("#notice")
    expect(notice).to_contain_text('seed: expected a whole number, got "9999')
    expect(notice).to_contain_text("(100000 characters)")
    expect(notice).to_contain_text('unknown setting "k0"')
    expect(notice).to_contain_text("(and 293 more)")
    assert len(notice.text_content()) < 1_000
    defaults = app.call("import('./js/settings.js').then((m) => m.DEFAULTS)")
    assert first["settings"]["dataset"] == "xor" and first["settings"]["seed"] == defaults["seed"]
    assert app.call("window.pynet.step(2)")["epoch"] == 2
    # the URL now mirrors the page's state: the 100 kB are gone
    app.call("window.pynet.setState({learning_rate: 0.1})")
    assert len(app.call("location.hash")) < 1_000
