"""What one Dask task costs: time, memory and data shipped per file (issue 16, item 4).

Generates a PBF (:mod:`benchmarks.osm_synth`) and cuts it into strips as extracts are cut
(:mod:`benchmarks.osm_split`); the whole file is rewritten with a header box as the strips
have (so that neither takes a pass for its extent). Then, each in a fresh process (so that its
peak memory is its own; ``idle`` is a process that only imports the same modules):

``boundaries K``
    Round 1 of :mod:`geo.io.osm_files` on strip K: its boundary relations and member ways.
``lines K``
    Round 2 on strip K: its layers near the borders of the regions of all strips.

For each task: wall-clock seconds inside the task, the process's peak resident memory, and
the bytes shipped (the pickled task sent to the worker, the pickled result sent back:
``distributed`` pickles both). Then whole counts, interleaved round by round (medians and
ranges): the one file on this machine (``whole``), the strips one after the other here
(``strips``) and the strips on a ``LocalCluster`` of 2 worker processes of one thread
(``cluster``, the cluster started before the clock); the client's share (merge, regions,
count) is printed from ``strips``. Every count is checked to give the same summary.

Run: ``.venv/bin/python -m benchmarks.dask_benchmark [--nodes 2e6] [--parts 4] [--rounds 3]
[--data-dir /tmp/jiegui-dask] [--tasks-only]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LINE_LAYERS = ("highways", "railways", "waterways", "pipelines")


def _peak_mb() -> float:
    """The peak resident memory of this process, MB (``VmHWM``: ``ru_maxrss`` survives ``exec``).

    A child started by a parent that held 2 GB reports 2 GB in ``ru_maxrss``; ``VmHWM``
    belongs to the process's own address space, made new by ``exec``.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _lines_task(strips: list[Path], file: Path) -> None:
    """Round 1 and the regions on this machine, as the client does; the round-2 task pickled."""
    from geo.io.osm_boundaries import region_set_from_osm
    from geo.io.osm_files import BoundariesTask, LinesTask, merge_osm_data
    from geo.io.osm_near_borders import NearBorders
    from geo.rules import CrossingRules

    boundaries = merge_osm_data([BoundariesTask()(p) for p in strips])
    regions = region_set_from_osm(boundaries)
    near = NearBorders(None, None, 30000.0, CrossingRules().reach_m, regions)
    file.write_bytes(pickle.dumps(LinesTask(LINE_LAYERS, near), protocol=5))


def _task(kind: str, strips: list[Path], k: int, lines_task: Path) -> dict[str, Any]:
    """Run one task of ``kind`` on strip ``k`` in this process, as a worker; its figures."""
    from geo.io.osm_files import BoundariesTask

    if kind == "idle":
        return {"seconds": 0.0, "peak_mb": _peak_mb(), "sent": 0, "returned": 0, "features": 0}
    task: Any = BoundariesTask()
    sent = pickle.dumps(task, protocol=5)
    if kind == "lines":
        sent = lines_task.read_bytes()
        task = pickle.loads(sent)  # what a worker receives
    start = time.perf_counter()
    result = task(strips[k])
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "sent": len(sent),
        "returned": len(pickle.dumps(result, protocol=5)),
        "features": sum(len(f) for f in result.layers.values()),
    }


def _count(method: str, whole: Path, strips: list[Path], address: str | None) -> dict[str, Any]:
    """One whole count; its seconds, the client's share and the summary's checksum."""
    from contextlib import nullcontext

    from geo.analysis import count_crossings
    from geo.io.cluster import cluster_map
    from geo.io.sources import load_source
    from geo.rules import CrossingRules

    rules = CrossingRules()
    paths = [whole] if method == "whole" else strips
    start = time.perf_counter()
    with cluster_map(address) if method == "cluster" and address else nullcontext() as run:
        source = load_source(
            str(paths[0]),
            [str(p) for p in paths[1:]],
            layer_names=LINE_LAYERS,
            near_borders_m=rules.reach_m,
            run=run,
        )
    read = time.perf_counter() - start
    result = count_crossings(
        source.layers, source.region_set, rules=rules, data_year=source.data_year
    )
    total = time.perf_counter() - start
    summary = hashlib.sha256(result.summary.to_csv(index=False).encode()).hexdigest()
    return {"seconds": total, "read": read, "count": total - read, "summary": summary}


def _in_process(args: list[str]) -> dict[str, Any]:
    """Run this module with ``args`` in a fresh interpreter; return its JSON answer."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.dask_benchmark", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    answer: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return answer


def _span(values: list[float]) -> str:
    return f"{statistics.median(values):7.2f} ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    """Generate, cut, measure each task, then the whole counts; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=float, default=2e6)
    parser.add_argument("--parts", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/jiegui-dask"))
    parser.add_argument("--tasks-only", action="store_true", help="no whole counts")
    parser.add_argument("--task", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--count", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = args.data_dir / f"n{int(args.nodes)}-p{args.parts}"
    generated = folder / "synth.osm.pbf"
    whole = folder / "whole" / "strip-0.osm.pbf"  # the same with a header box, as strips have
    strips = sorted((folder / "strips").glob("strip-*.osm.pbf"))
    if args.task:
        print(json.dumps(_task(args.task[0], strips, int(args.task[1]), folder / "lines.pkl")))
        return
    if args.count:
        address = None if args.count[1] == "-" else args.count[1]
        print(json.dumps(_count(args.count[0], whole, strips, address)))
        return
    from benchmarks.osm_split import split
    from benchmarks.osm_synth import generate

    if not whole.is_file() or len(strips) != args.parts:
        folder.mkdir(parents=True, exist_ok=True)
        generate(generated, nodes=int(args.nodes))
        # Extracts have a box in their header; without one, a file of at most 2 M nodes
        # would take one more pass for its extent (geo.io.osm_file.EXTENT_SCAN_MAX_NODES).
        split(generated, folder / "whole", 1)
        strips = split(generated, folder / "strips", args.parts)
    sizes = [p.stat().st_size / 1e6 for p in strips]
    print(f"load average at start: {os.getloadavg()}")
    print(
        f"file: {whole.stat().st_size / 1e6:.1f} MB, {int(args.nodes):,} nodes asked; strips: "
        + ", ".join(f"{s:.1f}" for s in sizes)
        + f" MB (sum {sum(sizes):.1f} MB)"
    )
    common = ["--nodes", str(args.nodes), "--parts", str(args.parts)]
    common += ["--data-dir", str(args.data_dir)]
    idle = _in_process([*common, "--task", "idle", "0"])
    print(f"idle process (imports only): peak {idle['peak_mb']:.0f} MB")
    _lines_task(strips, folder / "lines.pkl")
    print("task         strip MB  seconds  peak MB  sent KB  returned KB  features")
    for kind in ("boundaries", "lines"):
        for k, size in enumerate(sizes):
            got = _in_process([*common, "--task", kind, str(k)])
            print(
                f"{kind:10} {k:2} {size:8.1f} {got['seconds']:8.2f} {got['peak_mb']:8.0f} "
                f"{got['sent'] / 1e3:8.1f} {got['returned'] / 1e3:12.1f} {got['features']:9,}"
            )
    if args.tasks_only:
        print(f"load average at end: {os.getloadavg()}")
        return
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        times: dict[str, list[float]] = {"whole": [], "strips": [], "cluster": []}
        shares: list[float] = []
        checks: set[str] = set()
        for _ in range(args.rounds):
            for method in times:
                address = local.scheduler_address if method == "cluster" else "-"
                got = _in_process([*common, "--count", method, address])
                times[method].append(got["seconds"])
                checks.add(got["summary"])
                if method == "strips":
                    shares.append(got["count"])
    for method, values in times.items():
        print(f"{method:8} seconds, median (range) of {args.rounds}: {_span(values)}")
    print(f"count on the client after reading (strips): {_span(shares)} s")
    print(f"same summary in every run: {len(checks) == 1}")
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
