"""Time of the whole timeline on the embedded dataset, against counting each year on its own.

The target: the timeline 1990-2026 of every border computes in under 1 s on ``yrd``. In one
run, alternating so that other work on the machine weighs on both alike, this script times:

``per-year counts``
    The baseline: :func:`geo.analysis.count_crossings` once for each year 1990-2026 (37
    counts), every border, the statuses counting links open or under construction.
``results_by_year``
    :func:`geo.timeline.results_by_year` for the same years: the same 37 results (it checks
    they are equal, once, before timing), from one scan of the lines of every year.
``timeline``
    :func:`geo.timeline.timeline` 1990-2026, every border: ``results_by_year`` plus the long
    table of each year, the ports and the documented figures. This is the one the target is
    about.
``timeline, Zhejiang``
    The same for Zhejiang's borders only (as the page will ask for it).

The source is loaded once, before timing (the app keeps it loaded). Each is run
``--repeat`` times (5 by default); the script prints each run, the median and the best, and
each median over the baseline's. Run: ``.venv/bin/python -m benchmarks.timeline_benchmark``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal

from geo.analysis import count_crossings
from geo.io.sources import load_source
from geo.timeline import results_by_year, timeline
from layers import REGISTRY

YEARS = range(1990, 2027)
STATUSES = ("open", "construction")
TARGET_S = 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (default 5)")
    args = parser.parse_args(argv)
    print(
        f"Timeline benchmark on yrd, years {YEARS[0]}-{YEARS[-1]}, statuses "
        f"{'+'.join(STATUSES)}; {os.cpu_count()} cores, 1-min load average "
        f"{os.getloadavg()[0]:.2f} at the start"
    )
    source = load_source("yrd", layer_names=tuple(REGISTRY))
    layers, regions = source.layers, source.region_set

    def per_year() -> object:
        return [count_crossings(layers, regions, as_of=y, statuses=STATUSES) for y in YEARS]

    def together() -> object:
        return results_by_year(layers, regions, YEARS, statuses=STATUSES)

    def whole(region: str | None) -> Callable[[], object]:
        def run() -> object:
            return timeline(
                layers, regions, first_year=YEARS[0], last_year=YEARS[-1], statuses=STATUSES,
                region=region, folder=source.folder,
            )  # fmt: skip

        return run

    # Equal results first (the tests check this too), and a warm start for every method.
    slow, fast = per_year(), together()
    assert isinstance(slow, list) and isinstance(fast, dict)
    for year, expected in zip(YEARS, slow):
        assert_geodataframe_equal(fast[year].interfaces, expected.interfaces)
        assert_frame_equal(fast[year].summary, expected.summary)
    print(f"results_by_year equals the per-year counts at each of the {len(YEARS)} years")
    methods: dict[str, Callable[[], object]] = {
        "per-year counts": per_year,
        "results_by_year": together,
        "timeline": whole(None),
        "timeline, Zhejiang": whole("Zhejiang"),
    }
    times: dict[str, list[float]] = {name: [] for name in methods}
    for _ in range(args.repeat):
        for name, method in methods.items():
            start = time.perf_counter()
            method()
            times[name].append(time.perf_counter() - start)
            print(f"{name:<20} {times[name][-1]:6.3f} s")
    baseline = statistics.median(times["per-year counts"])
    print(f"{'method':<20} {'median s':>8} {'best s':>7} {'x baseline':>10}")
    for name, found in times.items():
        median = statistics.median(found)
        print(f"{name:<20} {median:8.3f} {min(found):7.3f} {median / baseline:10.2f}")
    verdict = "PASS" if statistics.median(times["timeline"]) < TARGET_S else "FAIL"
    print(f"timeline 1990-2026, every border, median under {TARGET_S:.0f} s: {verdict}")
    print(f"1-min load average at the end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
