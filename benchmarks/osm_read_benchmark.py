"""Counting the border crossings of a province-size ``.osm.pbf``: Jiegui against its peers.

Generates deterministic PBF files (:mod:`benchmarks.osm_synth`: ten provinces sharing their
border ways, roads, footways, buildings, landuse, railways, rivers, points of interest) and
runs each method in its own process, interleaved round by round, printing the median and
range of each method's time and peak memory, the load average, and the ratios the targets
of issue 16 are stated in:

``cli``
    ``python -m geo crossings FILE --format json``: Jiegui end to end, as a planner runs it
    (the fast reader, only the lines near borders, the engine, the JSON written).
``jiegui``
    The same work in a function: :func:`geo.io.sources.load_source` with
    ``near_borders_m`` and :func:`geo.analysis.count_crossings` (no output written).
``reader``
    The reader alone: :func:`~geo.io.sources.load_source` with ``near_borders_m`` (no engine),
    to tell the reader's memory from the engine's.
``old``
    The reference reader (``tests/helpers/osm_reference.py``, the first, per-way one):
    every line, the regions (:func:`geo.io.osm_boundaries.region_set_from_osm`),
    :func:`~geo.analysis.count_crossings` (what ``crossings`` ran before the fast reader).
``duckdb``
    DuckDB ``ST_ReadOSM``: the admin_level 4 boundary relations, the wanted ways (the same
    tag selection), their nodes, lines built with ``ST_MakeLine``, then the spatial join of
    lines with border ways (``ST_Intersects``), counted. DuckDB's spatial extension is
    ``LOAD``ed from the ``duckdb-extension-spatial`` wheel (``INSTALL`` would need the internet).
``floor``
    pyosmium decoding every node and way in C++ with node locations, nothing reaching
    Python: the least any pyosmium reader can take.
``floor-passes``
    The C++ floor of the passes Jiegui's reading makes (docs/osm-reading.md, "What it
    does"): ``floor``'s decoding (pass 2), then the file's ways and relations (pass 1) and
    its ways (pass 4) decoded again, nothing reaching Python. Each decoding reads the file
    as given, so it decompresses what it reads, where Jiegui's census decompresses the file
    once and its later passes read an uncompressed copy. Pass 3 is not counted: on the
    generated files its member ways come through pass 2. The floor of the restatement of
    the 3x target proposed in docs/osm-reading.md ("Proposed restatements"); the issue's
    own target is against ``floor``, and both ratios are printed.
``before``
    ``cli`` run from another checkout of Jiegui (``--before DIR``, e.g. a ``git archive``
    of ``main`` unpacked in ``/tmp``), with this one's interpreter: a change's before and
    after measured in the same run.
``every-line``, ``every-line-before``
    Every line read, as the page reads an upload (and ``--compare``, ``--timeline``):
    :func:`geo.io.osm_stream.read_osm` of every OSM layer, no count; from this checkout and
    from ``--before``'s.

Times are wall-clock seconds of the whole process (interpreter start and imports included;
``work s`` is the time inside the worker, imports of the method's own modules included);
``cpu s`` is the process's CPU time, user and system, every thread (``/usr/bin/time``): on
this shared machine the figure to compare, since wall time grows with the other processes'
load and CPU time much less. Peak memory is the process's maximum resident set size as
``/usr/bin/time`` reports it, in GB (10^9 bytes): the largest single process's. Ratios are
printed for both. With three sizes or more, each method's peak memory growth per doubling of
the file is printed between consecutive sizes; with two or more, Jiegui's (``jiegui``, else
``cli``) from the smallest to the largest, as the issue states the target and less the
node-location index (16 bytes a node of the file), as docs/osm-reading.md proposes to restate
it.

Since the command reads in two processes on two cores (:mod:`geo.io.osm_way_halves`), each
method also runs once more, untimed, with the memory of all its processes sampled
(:mod:`benchmarks.tree_memory`: PSS summed every 20 ms, anonymous and file-backed told
apart). DuckDB's memory ratio and Jiegui's growth per doubling are printed from it too, and
the growth of the anonymous memory less the node index where that is held in memory (past
:data:`geo.io.osm_node_storage.LOCATIONS_IN_MEMORY_MAX_NODES` nodes it is a mapped file, in
the ``file`` column): the restatement, measured.

Before the runs, the Python modules of the checkouts timed (``geo/`` and ``layers/`` of this one,
and of ``--before``'s) are compiled to bytecode (``compileall``, as pip does for an installed
package): with ``PYTHONDONTWRITEBYTECODE`` set, as in some environments, every ``cli`` run
recompiled our ~80 modules (about 0.1 s of CPU) while the floor's osmium read its cached
bytecode, an unfair difference.

Files past the default limits of :mod:`geo.settings` (10^8 nodes, 10^7 ways) are read with
``JIEGUI_MAX_OSM_NODES`` and ``JIEGUI_MAX_OSM_WAYS`` raised for the runs (printed).
``--id-gap`` spreads the node ids as in an extract of the planet (see
:func:`benchmarks.osm_synth.generate`).

Run: ``.venv/bin/python -m benchmarks.osm_read_benchmark [--nodes 5e6,1e7] [--rounds 3]
[--methods cli,jiegui,reader,old,duckdb,floor] [--id-gap 1] [--data-dir /tmp/jiegui-osm]
[--before DIR]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.tree_memory import TreePeak, peak_of_tree

ROOT = Path(__file__).resolve().parents[1]
METHODS = (
    "cli",
    "jiegui",
    "reader",
    "old",
    "duckdb",
    "floor",
    "floor-passes",
    "before",
    "every-line",
    "every-line-before",
)
#: The methods run from ``--before``'s checkout.
BEFORE_METHODS = ("before", "every-line-before")
#: ``every-line``'s work, run as ``python -c`` from either checkout (``--before``'s may not
#: know the method).
EVERY_LINE = """
import json, sys, time
started = time.perf_counter()
from geo.io.osm_stream import read_osm
from layers import OSM_LAYERS
data = read_osm(sys.argv[1], OSM_LAYERS)
read = sum(len(frame) for frame in data.layers.values())
print(json.dumps({"result": f"{read:,} features read", "work_s": time.perf_counter() - started}))
"""
LINE_LAYERS = ("highways", "railways", "waterways", "pipelines")


def _worker(method: str, path: Path) -> dict[str, object]:
    """Run one method on ``path`` in this process; return what it found."""
    if method == "jiegui":
        from geo.analysis import count_crossings
        from geo.io.sources import load_source
        from geo.rules import CrossingRules

        rules = CrossingRules()
        source = load_source(str(path), layer_names=LINE_LAYERS, near_borders_m=rules.reach_m)
        result = count_crossings(source.layers, source.region_set, rules=rules)
        kept = sum(len(frame) for frame in source.layers.values())
        return {
            "result": f"{len(result.interfaces):,} interfaces, {kept:,} lines kept, "
            f"{len(result.warnings)} warnings"
        }
    if method == "reader":
        from geo.io.sources import load_source
        from geo.rules import CrossingRules

        rules = CrossingRules()
        source = load_source(str(path), layer_names=LINE_LAYERS, near_borders_m=rules.reach_m)
        kept = sum(len(frame) for frame in source.layers.values())
        return {"result": f"{kept:,} lines kept"}
    if method == "old":
        from geo.analysis import count_crossings
        from geo.io.osm_boundaries import region_set_from_osm
        from tests.helpers.osm_reference import read_osm_reference

        data = read_osm_reference(path, LINE_LAYERS)
        result = count_crossings(data.layers, region_set_from_osm(data))
        kept = sum(len(frame) for frame in data.layers.values())
        return {
            "result": f"{len(result.interfaces):,} interfaces, {kept:,} lines read, "
            f"{len(result.warnings)} warnings"
        }
    if method == "duckdb":
        return {"result": _duckdb(path)}
    if method == "floor":
        passed = _decoded(path, "nodes and ways")
        return {"result": f"decoded ({passed} objects reached Python)"}
    if method == "floor-passes":
        passed = sum(
            _decoded(path, what) for what in ("nodes and ways", "ways and relations", "ways")
        )
        return {"result": f"decoded three times ({passed} objects reached Python)"}
    raise ValueError(method)


def _decoded(path: Path, what: str) -> int:
    """Decode ``what`` of the file in C++ (node locations with the nodes), every object dropped.

    Returns how many objects reached Python (none: the count shows it).
    """
    import osmium

    entities = {
        "nodes and ways": osmium.osm.NODE | osmium.osm.WAY,
        "ways and relations": osmium.osm.WAY | osmium.osm.RELATION,
        "ways": osmium.osm.WAY,
    }[what]
    processor = osmium.FileProcessor(str(path), entities)
    if what == "nodes and ways":
        processor = processor.with_locations()
    # No object is of this kind: every one is dropped in C++ before it reaches Python.
    drop_all = osmium.filter.EntityFilter(osmium.osm.CHANGESET)
    return sum(1 for _ in processor.with_filter(drop_all))


def _duckdb(path: Path) -> str:
    """Lines and border ways from ST_ReadOSM, spatially joined; the count of pairs."""
    import duckdb
    import duckdb_extension_spatial

    from layers.highways import SELECTED_VALUES

    extension = Path(duckdb_extension_spatial.__file__).parent / (
        f"extensions/v{duckdb.__version__}/spatial.duckdb_extension"
    )
    con = duckdb.connect()
    con.execute(f"LOAD '{extension}'")
    osm = f"ST_ReadOSM('{path}')"
    values = ", ".join(f"'{v}'" for v in SELECTED_VALUES)
    con.execute(
        f"""
        CREATE TEMP TABLE members AS
        SELECT DISTINCT unnest(refs) AS id FROM {osm}
        WHERE kind = 'relation' AND tags['boundary'] = 'administrative'
          AND tags['admin_level'] = '4';
        CREATE TEMP TABLE ways AS
        SELECT id, refs, id IN (SELECT id FROM members) AS border FROM {osm}
        WHERE kind = 'way' AND (
            tags['highway'] IN ({values}) OR tags['construction:highway'] IS NOT NULL
            OR tags['railway'] IS NOT NULL OR tags['waterway'] IS NOT NULL
            OR tags['man_made'] = 'pipeline' OR id IN (SELECT id FROM members));
        CREATE TEMP TABLE refs AS
        SELECT id, border, unnest(refs) AS ref, generate_subscripts(refs, 1) AS pos FROM ways;
        CREATE TEMP TABLE nodes AS
        SELECT id, lon, lat FROM {osm}
        WHERE kind = 'node' AND id IN (SELECT ref FROM refs);
        CREATE TEMP TABLE lines AS
        SELECT r.id, r.border, ST_MakeLine(list(ST_Point(n.lon, n.lat) ORDER BY r.pos)) AS geom
        FROM refs r JOIN nodes n ON n.id = r.ref GROUP BY r.id, r.border;
        CREATE TEMP TABLE borders AS SELECT id, geom FROM lines WHERE border;
        CREATE TEMP TABLE roads AS SELECT id, geom FROM lines WHERE NOT border;
        """
    )
    row = con.execute(
        "SELECT count(*), count(DISTINCT l.id) FROM roads l JOIN borders b "
        "ON ST_Intersects(l.geom, b.geom)"
    ).fetchone()
    assert row is not None
    return f"{row[0]:,} line-border pairs, {row[1]:,} lines crossing"


def _command(
    method: str, path: Path, before: Path | None
) -> tuple[list[str], Path, dict[str, str] | None]:
    """The command running ``method`` on ``path``, its folder and environment (None: ours)."""
    cwd, env = ROOT, None
    if method in BEFORE_METHODS:
        if before is None:
            raise ValueError(f"the {method} method needs --before DIR")
        cwd, env = before, {**os.environ, "PYTHONPATH": str(before)}
    if method in ("cli", "before"):
        command = [sys.executable, "-m", "geo", "crossings", str(path), "--format", "json"]
    elif method.startswith("every-line"):
        command = [sys.executable, "-c", EVERY_LINE, str(path)]
    else:
        command = [
            sys.executable,
            "-m",
            "benchmarks.osm_read_benchmark",
            "--worker",
            method,
            "--file",
            str(path),
        ]
    return command, cwd, env


def _run(method: str, path: Path, scratch: Path, before: Path | None = None) -> dict[str, object]:
    """Run a method in its own process; its wall time, CPU time, peak memory and result."""
    command, cwd, env = _command(method, path, before)
    out_path, err_path, peak_path = scratch / "stdout", scratch / "stderr", scratch / "peak"
    # /usr/bin/time reports the child's own peak: a child forked from this process would
    # inherit this process's peak in its ru_maxrss (Linux keeps it across exec).
    command = ["/usr/bin/time", "-f", "%M %U %S", "-o", str(peak_path), *command]
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, env=env, stdout=out, stderr=err, check=False)
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{method} failed: {err_path.read_text()[-2000:]}")
    peak, user, system = peak_path.read_text().split()[-3:]
    peak_kb = int(peak)
    text = out_path.read_text()
    if method in ("cli", "before"):
        result = f"JSON of {len(text) / 1e6:.1f} MB written"
        work = float("nan")
    else:
        found = json.loads(text.strip().splitlines()[-1])
        result, work = str(found["result"]), float(found["work_s"])
    return {
        "seconds": seconds,
        "work_s": work,
        "peak_gb": peak_kb * 1024 / 1e9,
        "cpu_s": float(user) + float(system),
        "result": result,
    }


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def main() -> None:
    """Generate the files, run the methods interleaved, print medians, ranges and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", default="5e6,1e7", help="file sizes in nodes, comma-separated")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--methods", default=",".join(m for m in METHODS if m not in BEFORE_METHODS)
    )
    parser.add_argument("--id-gap", type=int, default=1, help="node ids this far apart")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/jiegui-osm"))
    parser.add_argument("--worker", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--before", type=Path, help="another checkout, for the before method")
    args = parser.parse_args()
    if args.worker:
        started = time.perf_counter()
        found = _worker(args.worker, args.file)
        found["work_s"] = time.perf_counter() - started
        print(json.dumps(found))
        return
    from benchmarks.osm_synth import generate

    methods = [m for m in args.methods.split(",") if m]
    sizes = [int(float(n)) for n in args.nodes.split(",")]
    args.data_dir.mkdir(parents=True, exist_ok=True)
    print(
        f"Jiegui OSM reading benchmark: methods {', '.join(methods)}; {args.rounds} rounds, "
        f"interleaved; {os.cpu_count()} cores; load average (1/5/15 min) {_load()} at the start"
    )
    files = {}
    for nodes in sizes:
        gap = f"-gap{args.id_gap}" if args.id_gap != 1 else ""
        path = args.data_dir / f"synth-{nodes}{gap}.osm.pbf"
        if not path.exists():
            started = time.perf_counter()
            made = generate(path, nodes=nodes, id_gap=args.id_gap)
            print(
                f"generated {path.name}: {made.nodes:,} nodes, {made.ways:,} ways "
                f"({made.roads:,} roads), {made.relations} provinces in "
                f"{time.perf_counter() - started:.0f} s (not counted)"
            )
        files[nodes] = path
    _raise_limits(max(sizes))
    _compile_checkouts([ROOT, *([args.before] if args.before else [])])
    runs: dict[tuple[int, str], list[dict[str, object]]] = {}
    for turn in range(args.rounds):
        order = methods[turn % len(methods) :] + methods[: turn % len(methods)]
        for nodes, path in files.items():
            for method in order:
                runs.setdefault((nodes, method), []).append(
                    _run(method, path, args.data_dir, args.before)
                )
        print(f"round {turn + 1} done, load average {_load()}", flush=True)
    trees: dict[tuple[int, str], TreePeak] = {}
    for nodes, path in files.items():
        for method in methods:
            command, cwd, env = _command(method, path, args.before)
            trees[(nodes, method)] = peak_of_tree(command, cwd=cwd, env=env)
    print(f"memory runs done (untimed), load average {_load()}", flush=True)
    for nodes, path in files.items():
        print(f"== {path.name}: {path.stat().st_size / 1e6:.1f} MB")
        print(
            f"{'method':<12} {'median s':>9} {'range s':>13} {'work s':>7} {'cpu s':>6} "
            f"{'range cpu s':>13} {'peak GB':>8} {'range GB':>13}  result"
        )
        medians = {}
        cpu_medians = {}
        for method in methods:
            rows = runs[(nodes, method)]
            seconds = [float(r["seconds"]) for r in rows]  # type: ignore[arg-type]
            cpu = [float(r["cpu_s"]) for r in rows]  # type: ignore[arg-type]
            peaks = [float(r["peak_gb"]) for r in rows]  # type: ignore[arg-type]
            work = statistics.median(float(r["work_s"]) for r in rows)  # type: ignore[arg-type]
            medians[method] = (statistics.median(seconds), statistics.median(peaks))
            cpu_medians[method] = (statistics.median(cpu), medians[method][1])
            print(
                f"{method:<12} {medians[method][0]:>9.2f} "
                f"{min(seconds):>6.2f}-{max(seconds):<6.2f} {work:>7.2f} "
                f"{cpu_medians[method][0]:>6.2f} {min(cpu):>6.2f}-{max(cpu):<6.2f} "
                f"{medians[method][1]:>8.3f} "
                f"{min(peaks):>6.3f}-{max(peaks):<6.3f}  {rows[-1]['result']}"
            )
        print("ratios of wall-clock medians:")
        _ratios(medians)
        print("ratios of CPU-time medians:")
        _ratios(cpu_medians)
        _print_trees({m: trees[(nodes, m)] for m in methods})
    if len(files) >= 3:
        _growth(runs, sorted(files), methods)
    ours = next((m for m in ("jiegui", "cli") if all((n, m) in runs for n in files)), None)
    if len(files) >= 2 and ours is not None:
        largest = {
            n: statistics.median(float(str(r["peak_gb"])) for r in runs[(n, ours)]) for n in files
        }
        from geo.io.input_limits import check_osm_file

        nodes = {n: check_osm_file(files[n]).nodes for n in (min(files), max(files))}
        _memory_growth(largest, nodes, f"{ours} (largest process)")
        _memory_growth({n: trees[(n, ours)].pss for n in files}, nodes, f"{ours} (all processes)")
        _heap_growth({n: trees[(n, ours)] for n in files}, nodes, ours)
    print(f"load average at the end {_load()}")


def _print_trees(trees: dict[str, TreePeak]) -> None:
    """Each method's memory of all its processes (one untimed run), and DuckDB's ratio."""
    print(
        "memory of all of each method's processes (one more run, untimed: PSS summed over "
        "the process and its children every 20 ms, GB):"
    )
    print(f"{'method':<12} {'all GB':>7} {'anon':>6} {'file':>6} {'largest':>8} {'procs':>6}")
    for method, tree in trees.items():
        print(
            f"{method:<12} {tree.pss:>7.3f} {tree.anon:>6.3f} {tree.file:>6.3f} "
            f"{tree.largest_rss:>8.3f} {tree.processes:>6}"
        )
    ours = trees.get("cli") or trees.get("jiegui")
    if ours is not None and "duckdb" in trees:
        ratio = ours.pss / trees["duckdb"].pss
        print(
            f"jiegui / duckdb, memory of all processes: {ratio:.2f}x (target <= 0.5: "
            f"{'PASS' if ratio <= 0.5 else 'FAIL'})"
        )


def _heap_growth(trees: dict[int, TreePeak], nodes: dict[int, int], method: str) -> None:
    """The growth per doubling of all processes' memory besides the node index, measured.

    The anonymous memory of all processes (:class:`benchmarks.tree_memory.TreePeak`), less
    the node index where it is held in memory: ``flex_mem``'s 16 bytes a node up to
    :data:`geo.io.osm_node_storage.LOCATIONS_IN_MEMORY_MAX_NODES`; past that the index is a
    mapped file, its resident pages in the ``file`` column, not in the anonymous memory.
    ``nodes`` as for :func:`_memory_growth`.
    """
    from geo.io.osm_node_storage import LOCATIONS_IN_MEMORY_MAX_NODES

    small, large = min(nodes), max(nodes)
    heap_at = {}
    for size in (small, large):
        counted = nodes[size]
        in_memory = 16 * counted / 1e9 if counted <= LOCATIONS_IN_MEMORY_MAX_NODES else 0.0
        heap_at[size] = trees[size].anon - in_memory
    grow = (heap_at[large] - heap_at[small]) / math.log2(large / small)
    print(
        f"{method} (all processes) anonymous memory less the node index held in memory "
        f"({heap_at[small]:.3f} and {heap_at[large]:.3f} GB) from {small:,} to {large:,} "
        f"nodes: {grow:+.3f} GB per doubling (the restatement measured, <= 0.1: "
        f"{'PASS' if grow <= 0.1 else 'FAIL'})"
    )


def _memory_growth(peak_at: dict[int, float], nodes: dict[int, int], method: str) -> None:
    """The method's peak memory growth per doubling, as the issue states it and restated.

    ``peak_at``: the peak memory at each size, in GB; ``nodes``: the smallest and the
    largest file's nodes, as the census counts them (the sizes are the generator's).
    Restated (docs/osm-reading.md, "Proposed restatements"): less the node-location index,
    16 bytes a node of the file, which every reader that builds lines holds in one form or
    another.
    """
    small, large = min(nodes), max(nodes)
    index_at = {n: 16 * nodes[n] / 1e9 for n in (small, large)}
    doublings = math.log2(large / small)
    grow = (peak_at[large] - peak_at[small]) / doublings
    less = (peak_at[large] - index_at[large] - peak_at[small] + index_at[small]) / doublings
    print(
        f"{method} peak memory growth from {small:,} to {large:,} nodes: {grow:+.3f} GB per "
        f"doubling (target <= 0.1: {'PASS' if grow <= 0.1 else 'FAIL'}); less the node "
        f"index, 16 bytes a node ({index_at[small]:.3f} and {index_at[large]:.3f} GB): "
        f"{less:+.3f} GB per doubling (the restatement proposed, <= 0.1: "
        f"{'PASS' if less <= 0.1 else 'FAIL'})"
    )


def _compile_checkouts(checkouts: list[Path]) -> None:
    """Compile the bytecode of ``geo/`` and ``layers/`` in each checkout, as an install does.

    With ``PYTHONDONTWRITEBYTECODE`` set, the runs would otherwise compile every module of
    ours each time (about 0.1 s of CPU), which an installed package does not.
    """
    for checkout in checkouts:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", "geo", "layers"], cwd=checkout, check=True
        )
    print(f"bytecode compiled (compileall of geo/ and layers/) in {', '.join(map(str, checkouts))}")


def _raise_limits(nodes: int) -> None:
    """Raise the node and way limits for the runs when a file may pass the defaults."""
    from geo import settings

    if nodes * 1.2 <= settings.MAX_OSM_NODES.value():
        return
    os.environ["JIEGUI_MAX_OSM_NODES"] = str(int(nodes * 2))
    os.environ["JIEGUI_MAX_OSM_WAYS"] = str(int(nodes * 2 // 10))
    print(
        f"limits raised for the runs: JIEGUI_MAX_OSM_NODES={os.environ['JIEGUI_MAX_OSM_NODES']}, "
        f"JIEGUI_MAX_OSM_WAYS={os.environ['JIEGUI_MAX_OSM_WAYS']}"
    )


def _growth(
    runs: dict[tuple[int, str], list[dict[str, object]]], sizes: list[int], methods: list[str]
) -> None:
    """Each method's median peak memory per doubling of the file, between consecutive sizes."""
    print("peak memory growth per doubling of the file (GB), between consecutive sizes:")
    for method in methods:
        peaks = [
            statistics.median(float(r["peak_gb"]) for r in runs[(n, method)])  # type: ignore[arg-type]
            for n in sizes
        ]
        steps = [
            f"{small / 1e6:g}M-{large / 1e6:g}M {(b - a) / math.log2(large / small):+.3f}"
            for small, large, a, b in zip(sizes, sizes[1:], peaks, peaks[1:])
        ]
        print(f"  {method:<12} " + ", ".join(steps))


def _ratios(medians: dict[str, tuple[float, float]]) -> None:
    """The targets of issue 16 as ratios of medians of the same run."""
    if "every-line" in medians and "every-line-before" in medians:
        now, then = medians["every-line"], medians["every-line-before"]
        print(
            f"every line, before / now: time {then[0] / now[0]:.2f}x, "
            f"memory {then[1] / now[1]:.2f}x"
        )
    ours = medians.get("cli") or medians.get("jiegui")
    if ours is None:
        return
    if "duckdb" in medians:
        time_ratio = ours[0] / medians["duckdb"][0]
        memory_ratio = ours[1] / medians["duckdb"][1]
        print(
            f"jiegui / duckdb: time {time_ratio:.2f}x (target < 1: "
            f"{'PASS' if time_ratio < 1 else 'FAIL'}), memory {memory_ratio:.2f}x "
            f"(target <= 0.5: {'PASS' if memory_ratio <= 0.5 else 'FAIL'})"
        )
    if "floor" in medians:
        floor_ratio = ours[0] / medians["floor"][0]
        print(
            f"jiegui / pyosmium C++ floor: time {floor_ratio:.2f}x (target <= 3: "
            f"{'PASS' if floor_ratio <= 3 else 'FAIL'})"
        )
    if "floor-passes" in medians:
        passes_ratio = ours[0] / medians["floor-passes"][0]
        print(
            f"jiegui / C++ floor of its passes: time {passes_ratio:.2f}x (the restatement "
            f"proposed, <= 3: {'PASS' if passes_ratio <= 3 else 'FAIL'})"
        )
    if "old" in medians:
        print(
            f"old reader / jiegui: time {medians['old'][0] / ours[0]:.2f}x, "
            f"memory {medians['old'][1] / ours[1]:.2f}x"
        )
    if "before" in medians:
        print(
            f"before / now: time {medians['before'][0] / ours[0]:.2f}x, "
            f"memory {medians['before'][1] / ours[1]:.2f}x"
        )


if __name__ == "__main__":
    main()
