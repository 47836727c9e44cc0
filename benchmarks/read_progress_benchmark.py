"""What the census's marks cost and give in the nodes-and-ways pass of an OSM read.

:mod:`geo.io.read_progress` tells how far the second pass is from the census's marks
(:class:`geo.io.input_limits.Marks`): the marked nodes reach Python while the nodes are
decoded. This script reads a generated PBF (``benchmarks/osm_synth.py``, 10 M nodes by
default, kept in ``--data-dir``) in fresh subprocesses, with the marks and without them (the
census's marking replaced by a no-op: the reader then drops every node in C++, as before
the marks), interleaved, and prints, with the load average:

* the CPU time of the census and of the second pass, with and without, and their ratios;
* how long a ``SIGALRM`` set ``--alarm`` seconds into the second pass waits for Python
  (what Ctrl-C waits), with and without;
* with the marks, each report of the second pass: the time left said, and the time that
  remained, among the nodes (no line selected yet) and among the ways;
* how much longer a byte of ways took than a byte of nodes in the second pass (the nodes'
  time until the first way reached Python, the ways' after it), for the blocks of ways a
  layer selects from with those no layer selects at ``UNSELECTED_WAY_BYTE_COST``, and for
  all the ways' bytes alike: what ``WAY_BYTE_COST`` in :mod:`geo.io.read_progress` rests on.
* the longest time a signal waited for Python in the second pass (libosmium decoding
  objects that no filter lets through, holding Python's lock): what Ctrl-C and a report
  wait at most. A timer sends a signal every :data:`WATCH_S` seconds (:class:`_SignalWatch`;
  with the marks, in reads of their own: the timer costs the others nothing).

``--layers`` chooses the layers (the four line layers by default); with a point layer
(``ports``, which ``--all-regions`` reads), "without" also leaves the census's ids of the
point layer's nodes unknown, so that its ``KeyFilter`` is used, as before
(:mod:`geo.io.osm_node_filter`), and the census's CPU time is taken with its keys.

Run: ``.venv/bin/python -m benchmarks.read_progress_benchmark [--nodes 1e7] [--rounds 5]
[--id-gap 1] [--no-copy-marks] [--id-chunks N]``; ``--id-gap 1000`` spreads the node ids
over 1e10, as an extract of the planet has them. "With marks" reads pass 2's copy with its
marks (:mod:`geo.io.pbf_copies`); ``--no-copy-marks``, the census's marked ids through an
``IdFilter`` instead (as before them), held to ``--id-chunks`` ranges of 2**25 ids
(:data:`geo.io.osm_node_filter.MAX_ID_CHUNKS` by default). "Without marks" has neither.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LINE_LAYERS = ("highways", "railways", "waterways", "pipelines")
#: Seconds between two signals of the timer that measures how long a signal waits.
WATCH_S = 0.01


class _SignalWatch:
    """A timer's signal every :data:`WATCH_S` seconds, and how long each waited for Python.

    A signal's handler runs in the main thread between two Python instructions, as
    Ctrl-C's does; the signals that come meanwhile are one. So each handling's wait is the
    time since the first tick after the previous handling.
    """

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.handled = self.start
        self.waits: list[tuple[float, float]] = []  # (handled at, waited)
        signal.signal(signal.SIGALRM, self._tick)
        signal.setitimer(signal.ITIMER_REAL, WATCH_S, WATCH_S)

    def _tick(self, *_: object) -> None:
        now = time.monotonic()
        ticks = int((self.handled - self.start) / WATCH_S) + 1  # the first after the last
        self.waits.append((now, now - (self.start + ticks * WATCH_S)))
        self.handled = now

    def longest(self, start: float, end: float) -> float:
        """The longest wait of a signal handled between ``start`` and ``end`` (seconds)."""
        signal.setitimer(signal.ITIMER_REAL, 0)
        return max((wait for at, wait in self.waits if start < at <= end), default=0.0)


def _child(
    path: str,
    marks: bool,
    alarm: float | None,
    layers: tuple[str, ...] = LINE_LAYERS,
    watch_lock: bool = False,
    copy_marks: bool = True,
    id_chunks: int | None = None,
) -> dict[str, Any]:
    """One read in this process: CPU times, reports of pass 2, the alarm's wait.

    ``copy_marks``: pass 2's copy has its marks before each block of nodes (else the
    census's marked ids are let through an ``IdFilter``, as before them); ``id_chunks``:
    that ``IdFilter``'s bound in ranges of 2**25 ids (:data:`MAX_ID_CHUNKS` otherwise).
    """
    from geo.errors import layer_spec
    from geo.io import input_limits, osm_node_filter, pbf_copies, pbf_dense_nodes, read_progress
    from geo.io.osm_file import _selection_keys
    from geo.io.osm_stream import read_osm_fast

    if not marks or not copy_marks:  # no mark written in the copy
        real_write = pbf_copies.PbfCopy.write

        def write(copy: Any, *args: Any, nodes_at: int | None = None, **kwargs: Any) -> None:
            real_write(copy, *args, **kwargs)

        pbf_copies.PbfCopy.write = write  # type: ignore[method-assign]
    if marks and not copy_marks:  # the census's marked ids instead
        real_filter = osm_node_filter.node_filter

        def census_ids(keys: Any, census: Any, *, marked: bool = False) -> Any:
            return real_filter(keys, census)

        osm_node_filter.node_filter = census_ids  # type: ignore[assignment]
    if id_chunks is not None:
        osm_node_filter.MAX_ID_CHUNKS = id_chunks
    if not marks:
        input_limits._mark_group = lambda *_: None  # type: ignore[assignment]
        input_limits.KeyedNodes = lambda keys: pbf_dense_nodes.KeyedNodes(keys, available=False)  # type: ignore[assignment,misc]
    points = [spec for spec in map(layer_spec, layers) if spec.geometry == "point"]
    read_progress.REPORT_EVERY_S = 0.25
    begun: dict[int, tuple[float, float]] = {}
    passes: dict[int, tuple[Any, Any]] = {}  # the meter's census and first way, by pass
    real_begin = read_progress.Meter.begin
    # What a byte of the ways no layer selects costs in pass 2 (none when its file has none).
    unselected_cost = [read_progress.UNSELECTED_WAY_BYTE_COST]

    def begin(
        meter: Any, pass_no: int, expected: int = 0, *, census: Any = None, source: Any = None
    ) -> None:
        passes[pass_no] = (census, meter.first_way)  # the first way of the pass before
        unselected_cost[0] = getattr(meter, "unselected_cost", unselected_cost[0])
        real_begin(meter, pass_no, expected, census=census, source=source)

    read_progress.Meter.begin = begin  # type: ignore[method-assign]
    reports: list[tuple[float, float | None, bool]] = []
    state: dict[str, float] = {}

    class Stop(Exception):
        pass

    def on_alarm(*_: object) -> None:
        state["handled"] = time.monotonic()
        raise Stop

    def progress(p: read_progress.ReadProgress) -> None:
        now = time.monotonic()
        begun.setdefault(p.pass_no, (now, time.process_time()))
        if p.pass_no == 2:
            reports.append((now, p.remaining_s, p.kept > 0))
            if alarm is not None and "due" not in state:
                state["due"] = now + alarm
                signal.setitimer(signal.ITIMER_REAL, alarm)

    signal.signal(signal.SIGALRM, on_alarm)
    start = time.process_time()
    input_limits.check_osm_file(path, node_keys=_selection_keys(points))
    census_cpu = time.process_time() - start
    watch = _SignalWatch() if watch_lock else None
    try:
        read_osm_fast(path, layers, progress=progress)
    except Stop:
        return {"alarm_wait_ms": 1000 * (state["handled"] - state["due"])}
    end2 = begun[3][0]
    return {
        "census_cpu": census_cpu,
        "pass2_cpu": begun[3][1] - begun[2][1],
        "said_vs_left": [(said, end2 - t, ways) for t, said, ways in reports if said is not None],
        "byte_costs": _byte_costs(
            passes[2][0], begun[2][0], passes[3][1], end2, unselected_cost[0]
        ),
        "lock_wait_ms": 1000 * watch.longest(begun[2][0], end2) if watch else None,
    }


def _byte_costs(
    census: Any, began: float, first_way: Any, end: float, unselected_cost: float
) -> dict[str, float]:
    """How much longer a byte of ways took than one of nodes in pass 2 (module docstring).

    ``unselected_cost``: what the reader counts a byte of the blocks of ways no layer
    selects (0 when pass 2's copy leaves them out).
    """
    if census is None or first_way is None:
        return {}
    nodes, ways = census.node_marks, census.way_marks
    node_bytes = nodes.end - nodes.offsets[0]
    unselected = ways.unselected
    selected = ways.end - ways.offsets[0] - unselected
    pace = (first_way[0] - began) / node_bytes
    way_units = (end - first_way[0]) / pace
    return {
        "node_mb": node_bytes / 1e6,
        "selected_mb": selected / 1e6,
        "unselected_mb": unselected / 1e6,
        "nodes_s": first_way[0] - began,
        "ways_s": end - first_way[0],
        "selected": (way_units - unselected_cost * unselected) / max(selected, 1),
        "all": way_units / max(selected + unselected, 1),
    }


def _run(
    path: Path,
    marks: bool,
    alarm: float | None = None,
    layers: str = ",".join(LINE_LAYERS),
    watch_lock: bool = False,
    extra: tuple[str, ...] = (),
) -> dict[str, Any]:
    args = [sys.executable, "-m", "benchmarks.read_progress_benchmark", "--child", str(path)]
    args += ["--marks" if marks else "--no-marks", "--layers", layers, *extra]
    args += ["--watch-lock"] if watch_lock else []
    if alarm is not None:
        args += ["--alarm", str(alarm)]
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    """Measure and print (module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=float, default=1e7)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--alarm", type=float, default=0.2)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/jiegui-osm"))
    parser.add_argument(
        "--id-gap",
        type=int,
        default=1,
        help="node ids this far apart (1000: spread as an extract of the planet's are)",
    )
    parser.add_argument("--child")
    parser.add_argument("--marks", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--watch-lock", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--copy-marks",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="with marks: those of pass 2's copy (else the census's ids, as before them)",
    )
    parser.add_argument(
        "--id-chunks", type=int, help="the census ids' IdFilter bound, in ranges of 2**25 ids"
    )
    parser.add_argument(
        "--layers", default=",".join(LINE_LAYERS), help="comma-separated (ports: a point layer)"
    )
    args = parser.parse_args()
    if args.child:
        alarm = args.alarm if "--alarm" in sys.argv else None
        layers = tuple(args.layers.split(","))
        print(
            json.dumps(
                _child(
                    args.child,
                    args.marks,
                    alarm,
                    layers,
                    args.watch_lock,
                    copy_marks=args.copy_marks,
                    id_chunks=args.id_chunks,
                )
            )
        )
        return
    extra = ("--copy-marks" if args.copy_marks else "--no-copy-marks",)
    extra += ("--id-chunks", str(args.id_chunks)) if args.id_chunks is not None else ()
    from benchmarks.osm_synth import generate

    gap = f"-gap{args.id_gap}" if args.id_gap != 1 else ""
    path = args.data_dir / f"synth-{int(args.nodes)}{gap}.osm.pbf"
    if not path.is_file():
        args.data_dir.mkdir(parents=True, exist_ok=True)
        generate(path, nodes=int(args.nodes), id_gap=args.id_gap)
    print(
        f"== {path.name}: {path.stat().st_size / 1e6:.1f} MB, node ids {args.id_gap} apart, "
        f"layers {args.layers}, marks {'of the copy' if args.copy_marks else 'census ids'}"
        f"{f', IdFilter bound {args.id_chunks} ranges' if args.id_chunks else ''}; "
        f"load average {_load()} at start"
    )
    cpu: dict[bool, dict[str, list[float]]] = {True: {}, False: {}}
    waits: dict[bool, list[float]] = {True: [], False: []}
    lock_waits: list[float] = []
    said: list[tuple[float, float, bool]] = []
    costs: list[dict[str, float]] = []
    for round_no in range(args.rounds):
        order = (True, False) if round_no % 2 == 0 else (False, True)
        for marks in order:
            result = _run(path, marks, layers=args.layers, extra=extra)
            for key in ("census_cpu", "pass2_cpu"):
                cpu[marks].setdefault(key, []).append(result[key])
            if marks and round_no == 0:
                said = result["said_vs_left"]
            if marks and result["byte_costs"]:
                costs.append(result["byte_costs"])
            if marks:
                watched = _run(path, marks, layers=args.layers, watch_lock=True, extra=extra)
                lock_waits.append(watched["lock_wait_ms"])
            waited = _run(path, marks, args.alarm, args.layers, extra=extra)
            waits[marks].append(waited["alarm_wait_ms"])
        print(f"round {round_no + 1}: load {_load()}")
    for key in ("census_cpu", "pass2_cpu"):
        after, before = statistics.median(cpu[True][key]), statistics.median(cpu[False][key])
        print(
            f"{key}: with marks {after:.3f} s ({min(cpu[True][key]):.3f}-"
            f"{max(cpu[True][key]):.3f}), without {before:.3f} s ({min(cpu[False][key]):.3f}-"
            f"{max(cpu[False][key]):.3f}): ratio {after / before:.4f}"
        )
    for marks in (True, False):
        w = waits[marks]
        print(
            f"SIGALRM {args.alarm} s into pass 2, {'with' if marks else 'without'} marks: "
            f"handled after {statistics.median(w):.0f} ms (median; {min(w):.0f}-{max(w):.0f})"
        )
    print(
        f"longest wait of a signal in pass 2, with marks: {statistics.median(lock_waits):.0f}"
        f" ms (median; {min(lock_waits):.0f}-{max(lock_waits):.0f})"
    )
    print("pass 2 (first round, with marks): time left said / time that remained, s")
    for name, among_ways in (("nodes", False), ("ways", True)):
        pairs = [f"{s:.2f}/{left:.2f}" for s, left, ways in said if ways == among_ways]
        print(f"  among the {name}: " + ", ".join(pairs))
    for cost in costs:
        print(
            f"pass 2 with marks: {cost['node_mb']:.1f} MB of nodes in {cost['nodes_s']:.2f} s; "
            f"{cost['selected_mb']:.1f} MB of selected and {cost['unselected_mb']:.1f} MB of "
            f"unselected ways in {cost['ways_s']:.2f} s: a selected byte {cost['selected']:.1f} "
            f"times a node's, any byte of ways {cost['all']:.1f} times"
        )
    print(f"load average {_load()} at the end")


if __name__ == "__main__":
    main()
