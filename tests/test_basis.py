"""Counting bases: named statuses, their labels and captions, the report's basis, the CLI."""

from __future__ import annotations

import json

import pytest

from geo.basis import (
    BASES,
    DEFAULT_BASIS,
    basis_for,
    basis_record,
    caption,
    get_basis,
    statuses_label,
)
from geo.cli import main
from geo.errors import InvalidParameterError
from geo.io.datasets import dataset_dir
from geo.reconcile import REPORT_STATUSES, documented_basis
from helpers.golden import run
from layers import STATUSES


def user_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The one sentence ``python -m geo ARGS`` refuses with (exit code 2)."""
    assert main(list(args)) == 2
    message = capsys.readouterr().err.strip()
    assert message.startswith("jiegui: ") and "\n" not in message
    return message


def test_the_three_bases_and_their_statuses():
    assert {name: basis.statuses for name, basis in BASES.items()} == {
        "open": ("open",),
        "open+construction": ("open", "construction"),
        "planned": ("open", "construction", "proposed"),
    }
    assert DEFAULT_BASIS == "open"
    for basis in BASES.values():
        assert set(basis.statuses) <= set(STATUSES)
        assert basis.label.en and basis.label.zh and basis.phrase.en and basis.phrase.zh
    assert [b.label.zh for b in BASES.values()] == ["已通车", "已通车及在建", "含规划"]


def test_a_basis_is_found_by_its_statuses_in_any_order():
    assert basis_for(["construction", "open"]) is BASES["open+construction"]
    assert basis_for(["open", "open"]) is BASES["open"]
    assert basis_for(["open", "disused"]) is None


def test_an_unknown_basis_is_one_sentence_naming_the_choices():
    with pytest.raises(InvalidParameterError, match="open, open\\+construction, planned"):
        get_basis("everything")


def test_captions_in_both_languages():
    both = caption(BASES["open+construction"], 2006)
    assert (both.en, both.zh) == ("as of 2006, open + under construction", "2006年，已通车及在建")
    assert caption(["proposed", "construction", "open"], 2030).zh == "2030年，含规划"
    assert caption(["open"], None).en == "as the data stand, open"
    custom = statuses_label(["disused", "open"])
    assert custom.en == "statuses open, disused" and custom.zh == "状态：已通车、停用"


def test_the_basis_record_names_the_basis_or_lists_the_statuses():
    record = basis_record(["construction", "open"], 2006)
    assert record["name"] == "open+construction"
    assert record["statuses"] == ["open", "construction"]
    assert record["caption"] == {"en": "as of 2006, open + under construction",
                                 "zh": "2006年，已通车及在建"}
    assert basis_record(["open", "abandoned"], None)["name"] is None


def test_the_report_counts_open_and_under_construction():
    basis = documented_basis(dataset_dir("yrd"))
    assert basis is BASES["open+construction"]
    assert documented_basis(dataset_dir("yrd"), 2006) is basis
    assert basis.statuses == REPORT_STATUSES
    assert documented_basis(None) is None
    assert documented_basis(dataset_dir("yrd"), 1999) is None


@pytest.mark.parametrize(
    ("basis", "status"),
    [("open", "open"), ("open+construction", "construction,open"),
     ("planned", "open,construction,proposed")],
)
def test_basis_counts_what_the_same_statuses_count(basis, status):
    common = ["crossings", "yrd", "--as-of", "2006", "--format", "json"]
    by_basis = json.loads(run([*common, "--basis", basis]))
    by_status = json.loads(run([*common, "--status", status]))
    assert by_basis["basis"]["name"] == basis
    assert by_basis["pairs"] == by_status["pairs"]
    assert by_basis["interfaces"] == by_status["interfaces"]


def test_the_json_states_the_default_basis():
    out = json.loads(run(["crossings", "yrd", "--as-of", "2006", "--format", "json"]))
    assert out["basis"]["name"] == "open"
    assert out["basis"]["caption"]["zh"] == "2006年，已通车"
    documented = {row["measure"]: row["basis"] for row in out["documented"]}
    # The comparison with the report counts as the report does, whatever the run's basis.
    assert documented["expressways"] == "open+construction"
    assert documented["berths_phase1"] == "open"


def test_the_table_is_captioned():
    out = run(["crossings", "yrd", "--as-of", "2006", "--basis", "open+construction"])
    assert "Counted: as of 2006, open + under construction (2006年，已通车及在建)" in out


def test_basis_and_status_together_are_refused(capsys):
    message = user_error(capsys, "crossings", "yrd", "--basis", "open", "--status", "open")
    assert "--basis open" in message and "--status open" in message and "only one" in message


def test_an_unknown_basis_on_the_command_line_is_refused(capsys):
    message = user_error(capsys, "crossings", "yrd", "--basis", "all")
    assert "'all'" in message and "planned" in message
