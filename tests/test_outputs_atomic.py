"""Outputs are written atomically: the whole new file, or nothing changed and nothing left.

:func:`geo.io.atomic.write_atomically` on its own, then ``crossings --out`` as a user runs it
(in process, so that a full disk can be simulated; and as a subprocess with a real file size
limit), then a fetched package. Every failure must end in exit code 2 with one sentence, the
folder's listing unchanged and an old file's bytes unchanged.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from geo.cli import main
from geo.errors import OutputFileError
from geo.io import atomic
from geo.io.atomic import check_writable, staged, write_atomically
from helpers.paths import ROOT

#: A quick ``crossings`` run of the embedded dataset.
YRD = ["crossings", "yrd", "--as-of", "2020", "--format", "json", "--layers", "railways"]


def listing(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` (hidden ones too) with a file's bytes (None for a folder)."""
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main([*YRD, *args])
    return code, capsys.readouterr().err


def assert_one_sentence(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    message = err.strip()
    assert message.startswith("jiegui: ") and "\n" not in message, message
    for needle in needles:
        assert needle in message, message


def fail_after_first_write(monkeypatch: pytest.MonkeyPatch, code: int = errno.ENOSPC) -> None:
    """``os.write`` writes one chunk, then fails as a full disk does."""
    real_write = os.write
    calls = []

    def write(fd: int, data: bytes | memoryview) -> int:
        calls.append(fd)
        if len(calls) == 1:
            return real_write(fd, data)
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(atomic, "WRITE_CHUNK", 1000)
    monkeypatch.setattr(atomic.os, "write", write)


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody can write to, with a file in it (root: made immutable with chattr)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    (folder / "kept.txt").write_text("kept", encoding="utf-8")
    folder.chmod(0o555)
    immutable = False
    if os.access(folder, os.W_OK):  # root ignores the mode
        chattr = shutil.which("chattr")
        done = chattr and subprocess.run([chattr, "+i", str(folder)], capture_output=True)
        if not done or done.returncode != 0:
            folder.chmod(0o755)
            pytest.skip("running as root without chattr +i: no read-only folder can be made")
        immutable = True
    yield folder
    if immutable:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    folder.chmod(0o755)


# --------------------------------------------------------------------- the helper alone


@pytest.mark.parametrize(
    "content",
    [b"bytes\x00\xff", "text 接轨\n", lambda p: p.write_bytes(b"by a writer")],
    ids=["bytes", "text", "writer"],
)
def test_writes_the_content_and_leaves_no_temporary_file(
    tmp_path: Path, content: atomic.Content
) -> None:
    out = write_atomically(tmp_path / "out.txt", content)
    expected = {
        bytes: content,
        str: "text 接轨\n".encode(),
    }.get(type(content), b"by a writer")
    assert out.read_bytes() == expected
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_mode_is_kept_when_replacing_and_chosen_when_asked(tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    old.write_text("old")
    old.chmod(0o640)
    write_atomically(old, "new", force=True)
    assert old.read_text() == "new" and (old.stat().st_mode & 0o777) == 0o640
    private = write_atomically(tmp_path / "private.txt", "secret", mode=0o600)
    assert private.stat().st_mode & 0o777 == 0o600


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("old")
    with pytest.raises(OutputFileError, match=r"already exists.*--force"):
        write_atomically(out, "new")
    assert out.read_text() == "old"
    write_atomically(out, "new", force=True)
    assert out.read_text() == "new"


def test_a_file_that_appears_while_writing_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"

    def writer(temp: Path) -> None:
        temp.write_text("mine")
        out.write_text("someone else's")  # created between the check and the rename

    with pytest.raises(OutputFileError, match="already exists"):
        write_atomically(out, writer)
    assert out.read_text() == "someone else's"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_failing_writer_leaves_the_old_file_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "out.gpkg"
    out.write_bytes(b"old package")
    before = listing(tmp_path)

    def writer(temp: Path) -> None:
        temp.write_bytes(b"half a pack")
        (temp.parent / f"{temp.name}-journal").write_bytes(b"journal")
        raise RuntimeError("the writer broke")

    with pytest.raises(RuntimeError, match="the writer broke"):
        write_atomically(out, writer, force=True)
    assert listing(tmp_path) == before


def test_a_full_disk_leaves_the_old_file_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.json"
    out.write_text("old")
    before = listing(tmp_path)
    fail_after_first_write(monkeypatch)
    with pytest.raises(OutputFileError, match="disk is full") as caught:
        write_atomically(out, "x" * 5000, force=True)
    assert listing(tmp_path) == before
    assert "\n" not in str(caught.value)


def test_folders_created_for_a_failed_output_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_after_first_write(monkeypatch)
    with pytest.raises(OutputFileError):
        write_atomically(tmp_path / "new" / "deeper" / "out.json", "x" * 5000)
    assert list(tmp_path.iterdir()) == []


def test_nested_stages_commit_together_or_not_at_all(tmp_path: Path) -> None:
    with (
        pytest.raises(ValueError),
        staged(tmp_path / "a.txt") as a,
        staged(tmp_path / "b.txt") as b,
    ):
        a.write_text("a")
        b.write_text("b")
        raise ValueError("second thoughts")
    assert list(tmp_path.iterdir()) == []
    with staged(tmp_path / "a.txt") as a, staged(tmp_path / "b.txt") as b:
        a.write_text("a")
        b.write_text("b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_check_writable_names_each_problem(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    with pytest.raises(OutputFileError, match="is a folder"):
        check_writable(tmp_path)
    with pytest.raises(OutputFileError, match="a-file is a file"):
        check_writable(tmp_path / "a-file" / "out.json")
    assert check_writable(tmp_path / "new" / "out.json") == tmp_path / "new" / "out.json"
    assert not (tmp_path / "new").exists()


# --------------------------------------------------------------------- crossings --out


def test_out_is_written_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sub" / "crossings.json"
    code, err = run_main(capsys, "--out", str(out))
    assert code == 0, err
    assert out.read_text(encoding="utf-8").startswith("{")
    assert [p.name for p in out.parent.iterdir()] == ["crossings.json"]


def test_out_onto_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "results").mkdir()
    before = listing(tmp_path)
    code, err = run_main(capsys, "--out", str(tmp_path / "results"), "--force")
    assert_one_sentence(code, err, "is a folder")
    assert listing(tmp_path) == before


def test_out_into_a_read_only_folder(
    read_only_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = listing(read_only_folder)
    code, err = run_main(capsys, "--out", str(read_only_folder / "crossings.json"))
    assert_one_sentence(code, err, str(read_only_folder), "choose a folder you can write to")
    assert listing(read_only_folder) == before


def test_out_under_a_parent_that_cannot_be_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "report").write_text("a file, not a folder")
    before = listing(tmp_path)
    code, err = run_main(capsys, "--out", str(tmp_path / "report" / "crossings.json"))
    assert_one_sentence(code, err, "Cannot create the folder", "is a file")
    assert listing(tmp_path) == before


@pytest.mark.parametrize("force", [False, True], ids=["new-file", "force-over-old"])
def test_out_onto_a_full_disk(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    force: bool,
) -> None:
    out = tmp_path / "crossings.json"
    if force:
        out.write_text("the old result", encoding="utf-8")
    before = listing(tmp_path)
    fail_after_first_write(monkeypatch)
    code, err = run_main(capsys, "--out", str(out), *(["--force"] if force else []))
    assert_one_sentence(code, err, "the disk is full", "free some space")
    assert listing(tmp_path) == before


def test_out_beyond_a_real_file_size_limit_leaves_the_old_file(tmp_path: Path) -> None:
    """A real failing write: the process may not write files over 4 kB (``ulimit -f``)."""
    out = tmp_path / "crossings.geojson"
    out.write_text("the old result", encoding="utf-8")
    before = listing(tmp_path)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            *YRD[:4],
            "--format",
            "geojson",
            "--out",
            str(out),
            "--force",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
    )
    assert_one_sentence(proc.returncode, proc.stderr, str(out), "larger than this system allows")
    assert listing(tmp_path) == before


def test_out_still_refuses_an_input_and_an_existing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    regions = tmp_path / "regions.geojson"
    shutil.copyfile(ROOT / "data" / "yrd" / "regions.geojson", regions)
    lines = tmp_path / "railways.geojson"
    shutil.copyfile(ROOT / "data" / "yrd" / "railways.geojson", lines)
    before = listing(tmp_path)
    for out in (regions, lines):
        code = main(["crossings", str(regions), f"railways={lines}", "--out", str(out), "--force"])
        assert_one_sentence(code, capsys.readouterr().err, "is one of the input files")
    code, err = run_main(capsys, "--out", str(lines))
    assert_one_sentence(code, err, "already exists", "--force")
    assert listing(tmp_path) == before


# ----------------------------------------------------------------------- a fetched package


@pytest.mark.shared
def test_a_failed_package_write_keeps_the_old_package(
    monaco_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyogrio

    from geo.io import package
    from geo.io.fetch import fetch, load_regions

    region_set, regions_from = load_regions(boundaries=monaco_path, region="Monaco")
    result = fetch(
        region_set,
        regions_from=regions_from,
        region="Monaco",
        layer_names=["highways"],
        osm_file=monaco_path,
    )
    out = tmp_path / "monaco.gpkg"
    package.write_package(result, out)
    before = listing(tmp_path)
    real: Callable[..., object] = package.for_gpkg
    calls = []

    def failing(frame: object) -> object:
        calls.append(1)
        if len(calls) == 3:
            raise pyogrio.errors.FeatureError("failed to execute insert : disk I/O error")
        return real(frame)

    monkeypatch.setattr(package, "for_gpkg", failing)
    with pytest.raises(OutputFileError, match="disk I/O error") as caught:
        package.write_package(result, out, force=True)
    assert "\n" not in str(caught.value)
    assert listing(tmp_path) == before
