"""The Streamlit page's logic, run in-process with AppTest."""

from __future__ import annotations

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest


def test_page_without_source_asks_for_one():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py")).run(timeout=60)
    assert not at.exception
    assert "Choose a source" in at.info[0].value


@pytest.mark.shared
def test_page_counts_monaco(monaco_path):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py")).run(timeout=60)
    at.text_input[0].set_value(str(monaco_path))
    at.text_input[1].set_value("Monaco")
    at.run(timeout=120)
    assert not at.exception
    summary = at.dataframe[0].value
    primary = summary[(summary["layer"] == "highways") & (summary["class"] == "primary")]
    assert primary["interfaces"].tolist() == [5]
    assert "ODbL" in at.caption[0].value


def test_page_reports_a_bad_region_in_one_sentence(tmp_path):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py")).run(timeout=60)
    at.text_input[0].set_value(str(tmp_path / "missing.osm"))
    at.run(timeout=60)
    assert not at.exception
    assert "does not exist" in at.error[0].value
