"""Reading OSM files on a Dask cluster counts as reading them here (docs/dask.md).

A ``LocalCluster`` of two workers (threads of this process: light on a shared machine) reads
a generated file cut into strips (:mod:`benchmarks.osm_split`, as extracts are cut: ways across
a cut are in both), and the real Andorra and Monaco extracts (``../shared``; skipped without
them). Interfaces, along-border rows, summary and warnings must equal those of the one file
read on this machine. A bad scheduler address is one sentence and exit code 2.
"""

from __future__ import annotations

import ast
import csv
import io
import itertools
import pickle
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import shapely
from distributed import LocalCluster

from benchmarks.osm_split import split
from benchmarks.osm_synth import generate
from geo.analysis import CrossingResult, count_crossings
from geo.cli import main
from geo.errors import ClusterError, InputFileError
from geo.io import cluster
from geo.io.cluster import cluster_map
from geo.io.osm_boundaries import region_set_from_osm
from geo.io.osm_file import BoundaryRelation, OsmData
from geo.io.osm_files import BoundariesTask, FileMap, LinesTask, merge_osm_data
from geo.io.osm_near_borders import NearBorders
from geo.io.osm_stream import read_osm_fast
from geo.io.sources import load_source
from geo.rules import CrossingRules
from geo.text import Bilingual
from tests.helpers.paths import ANDORRA, MONACO, ROOT

LINE_LAYERS = ("highways", "railways", "waterways", "pipelines")


def _shared(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path.name} is not in ../shared/osm (the shared data is absent)")
    return path


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a local cluster: two workers, one thread each, in this process."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def strips(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """A generated file (ten provinces, roads, rails, rivers) and the same cut in 3 strips."""
    folder = tmp_path_factory.mktemp("dask")
    whole = folder / "synth.osm.pbf"
    generate(whole, nodes=60_000, seed=3)
    return whole, split(whole, folder / "strips", 3)


def _count(paths: list[Path], run: FileMap | None, rules: CrossingRules) -> CrossingResult:
    source = load_source(
        str(paths[0]),
        [str(p) for p in paths[1:]],
        layer_names=LINE_LAYERS,
        near_borders_m=rules.reach_m,
        run=run,
    )
    return count_crossings(
        source.layers,
        source.region_set,
        rules=rules,
        data_year=source.data_year,
        coverage=source.coverage,
    )


def _same(a: CrossingResult, b: CrossingResult) -> None:
    pd.testing.assert_frame_equal(pd.DataFrame(a.interfaces), pd.DataFrame(b.interfaces))
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.along, b.along)
    assert a.warnings == b.warnings
    pd.testing.assert_frame_equal(a.region_set.pairs, b.region_set.pairs)


def test_strips_on_a_cluster_count_as_the_whole_file(strips, scheduler) -> None:
    whole, parts = strips
    rules = CrossingRules()
    reference = _count([whole], None, rules)
    assert len(reference.interfaces) > 10  # the border logic has something to merge
    here = _count(parts, None, rules)
    _same(reference, _count(parts[::-1], None, rules))  # the files' order does not matter
    with cluster_map(scheduler) as run:
        on_cluster = _count(parts, run, rules)
        whole_on_cluster = _count([whole], run, rules)
    _same(reference, here)
    _same(reference, on_cluster)
    _same(reference, whole_on_cluster)


def test_the_strips_overlap_and_none_holds_every_crossing(strips) -> None:
    """Ways across a cut are in two strips (counted once), and no strip alone is enough."""
    whole, parts = strips
    alone = [read_osm_fast(p, LINE_LAYERS)[0] for p in parts]
    total = read_osm_fast(whole, LINE_LAYERS)[0]
    held = [len(a.layers["highways"]) for a in alone]
    assert sum(held) > len(total.layers["highways"]) > max(held)
    merged = merge_osm_data(alone)
    pd.testing.assert_frame_equal(
        pd.DataFrame(merged.layers["highways"]), pd.DataFrame(total.layers["highways"])
    )
    assert merged.boundary_ways.keys() == total.boundary_ways.keys()
    assert merged.data_timestamp == total.data_timestamp
    # The strips' header boxes are stored to 1e-7 degree, as any OSM coordinate.
    assert merged.bounds == pytest.approx(total.bounds, abs=2e-7)


def test_an_object_in_files_of_different_dates_is_the_newest_files_whatever_the_order() -> None:
    """A relation and a boundary way in two files: the newest file's, in either order."""
    older = OsmData(
        relations=[BoundaryRelation(7, "Old name", 4, {"name": "Old name"}, [(1, "outer")])],
        boundary_ways={1: shapely.LineString([(0, 0), (1, 0)])},
        data_timestamp="2012-06-29T00:00:00Z",
    )
    newer = OsmData(
        relations=[BoundaryRelation(7, "New name", 4, {"name": "New name"}, [(2, "outer")])],
        boundary_ways={1: shapely.LineString([(0, 0), (1, 1)])},
        data_timestamp="2013-05-28T00:00:00Z",
    )
    undated = OsmData(
        relations=[BoundaryRelation(7, "Undated", 4, {"name": "Undated"}, [(3, "outer")])],
        boundary_ways={1: shapely.LineString([(0, 0), (2, 2)])},
    )
    for parts in itertools.permutations([older, newer, undated]):
        merged = merge_osm_data(parts)
        assert [rel.name for rel in merged.relations] == ["New name"]
        assert merged.boundary_ways[1].equals(newer.boundary_ways[1])
        assert [w.en for w in merged.warnings] == [
            "2 boundary relation(s) and 2 boundary way(s) differ between the OSM files (the "
            "files' dates: 2012-06-29, 2013-05-28): each is taken from the newest file, and "
            "the counts near where the files meet mix their dates; use extracts cut from "
            "one file."
        ]
    # A dated file before an undated one; undated files in the order given.
    assert merge_osm_data([undated, older]).relations[0].name == "Old name"
    again = OsmData(relations=[BoundaryRelation(7, "Again", 4, {}, [(3, "outer")])])
    assert merge_osm_data([undated, again]).relations[0].name == "Undated"
    assert merge_osm_data([again, undated]).relations[0].name == "Again"
    assert not merge_osm_data([older, older]).warnings


def test_two_real_extracts_of_different_dates_count_the_same_in_either_order() -> None:
    """Monaco (2012) and Andorra (2013) both hold France's relation, in different versions.

    Before, the last file's version was taken: Monaco counted 18 interfaces read after
    Andorra and 25 before it.
    """
    monaco, andorra = _shared(MONACO), _shared(ANDORRA)
    rules = CrossingRules()
    first, second = (
        _count(paths, None, rules) for paths in ([monaco, andorra], [andorra, monaco])
    )
    _same(first, second)
    assert any(
        "differ between the OSM files (the files' dates: 2012-06-29, 2013-05-28)" in w.en
        for w in first.warnings
    )


@pytest.mark.parametrize("path", [ANDORRA, MONACO], ids=["andorra", "monaco"])
def test_a_real_extract_on_a_cluster_counts_as_here(path: Path, scheduler, tmp_path) -> None:
    path = _shared(path)
    rules = CrossingRules()
    reference = _count([path], None, rules)
    parts = split(path, tmp_path, 2)
    with cluster_map(scheduler) as run:
        _same(reference, _count([path], run, rules))
        _same(reference, _count(parts, run, rules))


def test_the_command_line_gives_the_same_output_on_a_cluster(
    strips, scheduler, capsys, monkeypatch
) -> None:
    whole, parts = strips
    assert main(["crossings", str(whole), "--format", "json"]) == 0
    here = capsys.readouterr().out
    assert main(["crossings", *map(str, parts), "--format", "json", "--scheduler", scheduler]) == 0
    assert capsys.readouterr().out == here.replace(whole.name, ", ".join(p.name for p in parts))
    monkeypatch.setenv("JIEGUI_DASK_SCHEDULER", scheduler)
    assert main(["crossings", str(whole), "--format", "json"]) == 0
    assert capsys.readouterr().out == here


@pytest.mark.parametrize(
    "mode", [["--overview"], ["--compare", "2019", "2026"]], ids=["overview", "compare"]
)
def test_the_border_tables_of_strips_are_those_of_the_file(mode, strips, scheduler, capsys) -> None:
    """The overview (near lines and ports) and a comparison (every line) read on the cluster."""
    whole, parts = strips
    assert main(["crossings", str(whole), *mode, "--format", "csv"]) == 0
    here = capsys.readouterr().out
    assert (
        main(["crossings", *map(str, parts), *mode, "--format", "csv", "--scheduler", scheduler])
        == 0
    )
    # The same rows, the file's name (in the coverage notes too) read as the strips' names:
    # compared cell by cell, since a name with commas puts its cell in quotes.
    named = ", ".join(p.name for p in parts)
    expected = [[cell.replace(whole.name, named) for cell in row] for row in _csv_rows(here)]
    assert _csv_rows(capsys.readouterr().out) == expected


def _csv_rows(text: str) -> list[list[str]]:
    """Every row of one or more CSV tables (a blank line between them is an empty row)."""
    return list(csv.reader(io.StringIO(text)))


def test_export_reads_on_the_cluster_too(strips, scheduler, capsys, tmp_path) -> None:
    """``export`` of one border: the same links and interfaces from the strips on the cluster."""
    whole, parts = strips
    said = []
    for name, inputs, extra in (
        ("whole", [whole], []),
        ("strips", parts, ["--scheduler", scheduler]),
    ):
        out = tmp_path / name / "border.gpkg"
        out.parent.mkdir()
        argv = ["export", *map(str, inputs), "--region", "Province 00", "--out", str(out)]
        assert main([*argv, *extra]) == 0
        said.append(capsys.readouterr().out.replace(str(out), "OUT"))
    # The files are named after the first input (jiegui-synth-..., jiegui-strip-0-...).
    assert said[0].replace("-synth-", "-strip-0-") == said[1]
    assert re.search(r" [1-9][0-9]* interface\(s\)", said[0])  # the border has some


@pytest.fixture
def mute_port() -> Iterator[str]:
    """A port on this machine where something listens and never answers (not Dask)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


@pytest.mark.parametrize("kind", ["malformed", "wrong scheme", "nothing there", "not dask"])
def test_a_bad_scheduler_is_one_sentence_and_exit_2(
    kind, strips, mute_port, capsys, monkeypatch
) -> None:
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    closed = f"tcp://127.0.0.1:{free.getsockname()[1]}"
    free.close()
    address = {
        "malformed": "scheduler-without-port",
        "wrong scheme": "http://127.0.0.1:8786",
        "nothing there": closed,
        "not dask": mute_port,
    }[kind]
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 2.0)
    whole, _ = strips
    for lang in ("en", "zh"):
        assert main(["crossings", str(whole), "--scheduler", address, "--lang", lang]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "Traceback" not in captured.err
        lines = captured.err.strip().splitlines()
        assert len(lines) == 1 and address in lines[0]
        assert ("调度器" in lines[0]) == (lang == "zh")


def test_an_error_on_a_worker_arrives_as_one_sentence(strips, scheduler, capsys, tmp_path) -> None:
    """A file the workers cannot read is refused as on this machine."""
    whole, _ = strips
    bad = tmp_path / "broken.osm.pbf"
    bad.write_bytes(b"this is not a PBF file" * 10)
    assert main(["crossings", str(whole), str(bad), "--scheduler", scheduler]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "broken.osm.pbf" in err
    assert len(err.strip().splitlines()) == 1


def test_tasks_and_results_cross_a_process_boundary(strips) -> None:
    """What a worker process receives and returns survives pickling.

    The local cluster's workers are threads, which pickle nothing.
    """
    _, parts = strips
    regions = region_set_from_osm(merge_osm_data([BoundariesTask()(p) for p in parts]))
    task = LinesTask(LINE_LAYERS, NearBorders(None, None, 30000.0, 3000.0, regions))
    received = pickle.loads(pickle.dumps(task))
    direct, shipped = task(parts[0]), pickle.loads(pickle.dumps(received(parts[0])))
    for name in LINE_LAYERS:
        pd.testing.assert_frame_equal(
            pd.DataFrame(direct.layers[name]), pd.DataFrame(shipped.layers[name])
        )
    assert len(direct.layers["highways"]) > 0
    error = InputFileError(Bilingual("A file is bad.", "文件有问题。"))
    assert pickle.loads(pickle.dumps(error)).text("zh") == "文件有问题。"


def test_connect_refuses_before_making_a_client() -> None:
    with pytest.raises(ClusterError, match="Dask scheduler"):
        cluster.connect("inproc://nowhere/1/2", timeout_s=1)


def test_the_page_can_never_name_a_scheduler() -> None:
    """Only the command line's operator names a scheduler: the page imports nothing of it."""
    page = [ROOT / "streamlit_app.py", ROOT / "server.py", *(ROOT / "app").rglob("*.py")]
    for path in page:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            name
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for name in (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            )
        }
        assert not {m for m in imported if m and m.split(".")[0] in ("dask", "distributed")}
        assert not {m for m in imported if m and m.startswith("geo.io.cluster")}, path
        text = path.read_text(encoding="utf-8")
        assert "dask_scheduler" not in text and "DASK_SCHEDULER" not in text, path
    assert len(page) > 10  # the page's modules were found
