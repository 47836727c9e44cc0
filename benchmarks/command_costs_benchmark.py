"""The ``crossings`` command's costs outside the reader and the engine, against baselines.

Two parts, each with its baseline measured in the same run:

``start-up``
    ``python -m geo crossings --help`` in its own process, start to exit (the imports, the
    parser, the interpreter's exit), against ``python -c "import geopandas, osmium"``: the
    libraries a count of an OSM file cannot do without, imported and left. With
    ``--before DIR`` (another checkout, e.g. a ``git archive`` of ``main`` unpacked in
    ``/tmp``), the same command from there, run with this checkout's interpreter. Rounds are
    interleaved; medians of wall and CPU time (user + system, ``/usr/bin/time``).
``render``
    An OSM file counted once as ``crossings FILE`` counts it (the regions of admin level 4,
    only the lines near borders), then its report rendered again and again in this process,
    CPU time (:func:`time.process_time`) of each step, median of ``--repeats``: the
    interfaces and pairs as JSON-safe rows (:func:`geo.io.report.to_json_dict`), that dict
    written as text by :func:`json.dumps` with ``indent=2`` (the baseline) and by
    :func:`geo.io.json_text.dumps` (the same bytes, checked), and the text table
    (:func:`geo.io.report.to_table`).

Run: ``.venv/bin/python -m benchmarks.command_costs_benchmark [--file PATH.osm.pbf]
[--rounds 5] [--repeats 7] [--before DIR]``. Without ``--file``, the 10 M-node file of
:mod:`benchmarks.osm_read_benchmark` in ``/tmp/jiegui-osm`` (generated when missing).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FLOOR = "import geopandas, osmium"


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _process(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one process, start to exit."""
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    with tempfile.NamedTemporaryFile("r") as times:
        started = time.perf_counter()
        subprocess.run(
            ["/usr/bin/time", "-f", "%U %S", "-o", times.name, *command],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        wall = time.perf_counter() - started
        user, system = times.read().split()[-2:]
    return wall, float(user) + float(system)


def start_up(rounds: int, before: Path | None) -> None:
    """Print the start-up medians of this checkout, the floor and ``before``."""
    help_command = [sys.executable, "-m", "geo", "crossings", "--help"]
    commands = {"crossings --help": (help_command, ROOT)}
    if before is not None:
        commands["before: crossings --help"] = (help_command, before)
    commands[f"floor: {FLOOR}"] = ([sys.executable, "-c", FLOOR], ROOT)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, (command, cwd) in commands.items():
            runs[name].append(_process(command, cwd))
    print(f"start-up, {rounds} rounds interleaved (load {_load()} at the end):")
    floor = statistics.median(cpu for _, cpu in runs[f"floor: {FLOOR}"])
    for name, times in runs.items():
        wall = statistics.median(w for w, _ in times)
        cpu = statistics.median(c for _, c in times)
        print(f"  {name:<42} wall {wall:5.2f} s  cpu {cpu:5.2f} s  ({cpu / floor:.2f}x the floor)")


def _median_cpu(step: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeats):
        started = time.process_time()
        out = step()
        times.append(time.process_time() - started)
    return statistics.median(times), out


def render(path: Path, repeats: int) -> None:
    """Count ``path`` once, then print the CPU medians of the report's steps."""
    from geo.analysis import count_crossings
    from geo.io import json_text
    from geo.io.report import to_json_dict, to_table
    from geo.io.sources import load_source
    from geo.rules import CrossingRules

    rules = CrossingRules()
    source = load_source(str(path), admin_level=4, near_borders_m=rules.reach_m)
    result = count_crossings(source.layers, source.region_set, rules=rules,
                             data_year=source.data_year, coverage=source.coverage)  # fmt: skip
    names = {"source": source.name, "attribution": source.attribution}
    rows, data = _median_cpu(lambda: to_json_dict(result, **names), repeats)
    baseline, text = _median_cpu(lambda: json.dumps(data, ensure_ascii=False, indent=2), repeats)
    fast, same = _median_cpu(lambda: json_text.dumps(data), repeats)
    table, _ = _median_cpu(lambda: to_table(result, **names), repeats)
    print(
        f"render of {path.name}: {len(result.interfaces):,} interfaces, {len(result.summary)} "
        f"pairs, JSON of {len(text.encode()) / 1e6:.1f} MB; CPU medians of {repeats} "
        f"(load {_load()} at the end):"
    )
    print(f"  to_json_dict (rows as JSON-safe values)  {rows:.3f} s")
    print(f"  json.dumps(indent=2) (baseline)          {baseline:.3f} s")
    print(f"  json_text.dumps                          {fast:.3f} s  ({fast / baseline:.2f}x the "
          f"baseline; same text: {'yes' if same == text else 'NO'})")  # fmt: skip
    print(f"  to_table (the text report)               {table:.3f} s")


def main() -> None:
    """Parse the options, run both parts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, help="an .osm.pbf with admin_level 4 regions")
    parser.add_argument("--rounds", type=int, default=5, help="start-up rounds")
    parser.add_argument("--repeats", type=int, default=7, help="repeats of each render step")
    parser.add_argument("--before", type=Path, help="another checkout, run the same way")
    args = parser.parse_args()
    print(f"Jiegui command costs benchmark; {os.cpu_count()} cores; load {_load()} at the start")
    start_up(args.rounds, args.before)
    path = args.file or Path("/tmp/jiegui-osm/synth-10000000.osm.pbf")
    if not path.exists():
        from benchmarks.osm_synth import generate

        path.parent.mkdir(parents=True, exist_ok=True)
        generate(path, nodes=10_000_000)
    render(path, args.repeats)


if __name__ == "__main__":
    main()
