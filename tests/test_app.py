"""The Streamlit page's logic, run in-process with AppTest (the browser tests are test_e2e)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT


def page() -> AppTest:
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)


def test_page_opens_on_the_embedded_dataset_at_the_zhejiang_shanghai_border():
    at = page().run()
    assert not at.exception
    assert at.selectbox[1].value == "Zhejiang"
    assert at.selectbox[2].value == "Shanghai"
    assert "Zhejiang – Shanghai" in at.caption[0].value
    assert len(at.metric) >= 6


@pytest.mark.shared
def test_page_counts_monaco(monaco_path):
    at = page().run()
    at.text_input[0].set_value(str(monaco_path)).run()
    assert not at.exception
    assert at.selectbox[1].value == "Monaco"
    table = at.dataframe[-1].value
    primary = table[(table["layer"] == "highways") & (table["class"] == "primary")]
    assert len(primary) == 5
    assert any("ODbL" in c.value for c in at.caption)


def test_page_reports_a_missing_file_in_one_sentence(tmp_path):
    at = page().run()
    at.text_input[0].set_value(str(tmp_path / "missing.osm")).run()
    assert not at.exception
    assert "does not exist" in at.error[0].value


def test_page_sets_the_reports_figures_beside_the_computed_ones():
    at = page().run()
    [table] = [d.value for d in at.dataframe if "measure" in d.value.columns]
    lanes = table[(table["border"] == "Zhejiang–Shanghai") & (table["measure"] == "lanes")]
    assert lanes["documented"].tolist() == [22.0]
    assert lanes["explanation"].str.len().gt(20).all()
