"""The page follows the year slider stepped with the arrow keys, with pauses between keys.

It sweeps the sidebar's year slider 16 times between 2006 and 2024, pausing 0 to 400 ms
between keys (a fixed random sequence), and fails when the page does not follow the slider,
goes blank, or does not stop running. With the map in an ``st.fragment`` it failed in every
run on a quiet machine (Streamlit 1.67.0's frontend sent the slider's change as the
fragment's rerun, or blanked the page), and without it, with Streamlit's default message
cache age, on "Cached ForwardMsg MISS" (docs/share-and-print.md, "Why the map is not in a
fragment"). The browser's console is written to ``artifacts/e2e-slider-steps-console.txt``.
"""

from __future__ import annotations

import random
import time
from typing import Any

from test_e2e_years import _open, page  # noqa: F401  (the fixture)

from helpers import e2e_support as e2e

pytestmark = e2e.e2e_marks()

SWEEPS = 16
PAUSES_MS = (0, 0, 50, 150, 200, 250, 400)


def test_the_page_follows_the_year_slider_stepped_with_pauses(app, page, offline):  # noqa: F811
    said: list[str] = []
    page.on("pageerror", lambda error: said.append(f"page error: {error}"))
    page.on("console", lambda m: said.append(f"{m.type}: {m.text[:300]}"))
    _open(app, page)
    pauses = random.Random(7)
    thumb = page.locator(e2e.YEAR_SLIDER)
    faults: list[str] = []
    for sweep in range(SWEEPS):
        year = 2006 if sweep % 2 == 0 else 2024
        try:
            e2e.press_year_keys(
                page, year, pause_ms=lambda: pauses.choice(PAUSES_MS), timeout_ms=20_000
            )
        except Exception:  # the slider is gone: the page is blank
            faults.append(f"sweep {sweep}: the page went blank")
            break
        _follow(page, thumb, year, sweep, faults)
        if sweep % 3 == 0:
            try:
                e2e.wait_settled(page)
            except Exception:
                faults.append(f"sweep {sweep}: the page still running after 60 s")
                break
    (e2e.ARTIFACTS / "e2e-slider-steps-console.txt").write_text("\n".join(said), encoding="utf-8")
    batches = [s for s in said if "Multiple different fragmentIds" in s]
    errors = [s for s in said if s.startswith(("error", "page error"))]
    assert not faults, (faults, batches[:2], errors[:3])
    assert not errors, errors[:3]  # e.g. "Cached ForwardMsg MISS", the page cut off
    assert offline.blocked == []


def _follow(tab: Any, thumb: Any, year: int, sweep: int, faults: list[str]) -> None:
    """Wait for the slider at ``year`` and the page "as of" it; note a fault otherwise."""
    deadline = time.monotonic() + 30
    try:
        while int(thumb.input_value(timeout=10_000)) != year and time.monotonic() < deadline:
            tab.wait_for_timeout(100)
        tab.get_by_text(f"as of {year}").first.wait_for(timeout=30_000)
    except Exception:
        tab.screenshot(path=str(e2e.ARTIFACTS / f"e2e-slider-steps-{sweep}.png"))
        faults.append(f"sweep {sweep}: the slider at {year}, the page's URL {tab.url[-120:]}")
