"""tools/site_files.py's page file list: index.html's PAGE_FILES is written from the
built site's js/ and vendor/ files, before the inline hashes of the CSP are taken.

tests/tooling/ tests build.py itself: CPython only (the Pyodide run ignores it)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tools import site_files

PAGE = """<meta http-equiv="Content-Security-Policy" content="script-src 'self' INLINE-HASHES">
<script>const PAGE_FILES = [/* PAGE-FILES */]; function pageFailed() {}</script>"""


def test_the_page_files_are_those_under_js_and_vendor_in_path_order(tmp_path):
    files = [tmp_path / p for p in ("js/main.js", "vendor/d3.min.js", "js/worker/boot.js", "js/a.js",
                                    "index.html", "sw.js", "pyodide/pyodide.mjs", "css/style.css")]
    assert site_files.page_files(tmp_path, files) == ["js/a.js", "js/main.js", "js/worker/boot.js",
                                                      "vendor/d3.min.js"]


def test_the_list_is_written_into_the_inline_script_and_hashed_with_it():
    names = ["js/a.js", "js/main.js"]
    html = site_files.fill_csp(site_files.fill_page_files(PAGE, names))
    listed = re.search(r"const PAGE_FILES = (\[[^\]]*\]);", html)
    assert listed and json.loads(listed.group(1)) == names
    # the policy allows the script as it is served, list included
    script = re.search(r"<script>(.*?)</script>", html, re.DOTALL).group(1)
    assert site_files.inline_hashes(html) == [site_files._sha(script)]
    assert site_files._sha(script) in site_files.csp_of(html)
    other = site_files.fill_csp(site_files.fill_page_files(PAGE, ["js/b.js"]))
    assert site_files.csp_of(other) != site_files.csp_of(html)


def test_an_index_html_without_the_placeholder_is_refused():
    with pytest.raises(ValueError, match="PAGE-FILES"):
        site_files.fill_page_files("<script>const PAGE_FILES = [];</script>", ["js/a.js"])
