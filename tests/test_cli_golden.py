"""The command line's JSON is byte-identical to the outputs recorded before the refactor."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from helpers import golden as record

RECORDED = record.load()
CASES = record.cases()


def test_every_case_was_recorded() -> None:
    assert set(CASES) == set(RECORDED)


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_is_byte_identical_to_the_recorded_one(name: str) -> None:
    argv = CASES[name]
    if name in ("monaco", "andorra") and not Path(argv[1]).is_file():
        pytest.skip(f"real OSM extract {Path(argv[1]).name} not found (../shared is absent)")
    now = record.run(argv)
    if now != RECORDED[name]:
        diff = difflib.unified_diff(
            RECORDED[name].splitlines(), now.splitlines(), "recorded", "now", lineterm="", n=2
        )
        pytest.fail(f"{name} changed:\n" + "\n".join(list(diff)[:60]))
