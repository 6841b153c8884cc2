"""The playground's settings through the URL hash: web/js/settings.js parses
every setting pynet/facade.py defines (limits from build-info.js)."""

from __future__ import annotations

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
                  'activation: expected one of tanh, sigmoid, relu, linear (or a list, one per '
                  'hidden layer), got "soft"', "max_epoch: expected a whole number from 0",
                  "hidden"):
        expect(notice).to_contain_text(words)
    assert s["settings"]["bias"] is True and s["settings"]["update"] == "exact"


def test_a_layer_too_wide_for_2d_data_is_refused_by_pynet(app):
    app.open("#dataset=xor&hidden=20")
    app.ready()
    expect(app.page.locator("#notice")).to_contain_text(
        "hidden[0]: expected a whole number from 1 to 8, got 20 (for 2-D data")
