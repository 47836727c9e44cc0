"""The hosted page's listing of its folders: kept briefly, yet a new file still appears.

:func:`app.hosting.shared_files` runs on every rerun of the page; it walks the folders once
per :data:`app.hosting.LISTING_TTL_S` (shortened here rather than slept through), at once
again when a folder's top level changes, when the fetch panel has written a package, or
when the file chosen on the page is gone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app import hosting
from geo import settings
from geo.io import safe_paths


@pytest.fixture
def folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    """A data folder and a fetch folder of the test's own, and a count of folder walks."""
    data, fetched = tmp_path / "data", tmp_path / "fetched"
    (data / "sub").mkdir(parents=True)
    fetched.mkdir()
    (data / "sub" / "a.geojson").write_text("{}", encoding="utf-8")
    monkeypatch.setenv(settings.DATA.variable, str(data))
    monkeypatch.setenv(settings.FETCHED.variable, str(fetched))
    walks: list[Path] = []
    list_files = safe_paths.list_files

    def counted(root: str | Path, accept: Callable[[str], bool]) -> list[str]:
        walks.append(Path(root))
        return list_files(root, accept)

    monkeypatch.setattr(safe_paths, "list_files", counted)
    hosting.forget_shared_files()
    return {"data": data, "fetched": fetched, "walks": walks}


def test_the_listing_is_walked_once_for_many_reruns(folders):
    walks = folders["walks"]
    assert hosting.shared_files() == ["data:sub/a.geojson"]
    assert len(walks) == 2  # the data folder and the fetch folder
    for _ in range(5):
        assert hosting.shared_files() == ["data:sub/a.geojson"]
    assert len(walks) == 2
    assert hosting.shared_files(lambda name: name.endswith(".osm")) == []  # another filter
    assert len(walks) == 4


def test_a_file_in_a_subfolder_appears_after_the_time_to_live(folders, monkeypatch):
    monkeypatch.setattr(hosting, "LISTING_TTL_S", 0.2)
    assert hosting.shared_files() == ["data:sub/a.geojson"]
    (folders["data"] / "sub" / "b.geojson").write_text("{}", encoding="utf-8")
    assert hosting.shared_files() == ["data:sub/a.geojson"]  # kept: not walked again
    time.sleep(0.25)
    assert hosting.shared_files() == ["data:sub/a.geojson", "data:sub/b.geojson"]


def test_a_file_at_the_top_of_a_folder_appears_at_once(folders):
    assert hosting.shared_files() == ["data:sub/a.geojson"]
    walks = len(folders["walks"])
    time.sleep(0.05)  # a folder's time is as fine as the clock tick (a few ms)
    package = folders["fetched"] / "osm-a-b.gpkg"
    package.write_bytes(b"")
    assert hosting.shared_files() == ["data:sub/a.geojson", "fetched:osm-a-b.gpkg"]
    assert len(folders["walks"]) == walks + 2
    hosting.forget_shared_files()  # what the fetch panel does once it wrote a package
    hosting.shared_files()
    assert len(folders["walks"]) == walks + 4


def test_a_chosen_file_that_is_gone_is_not_offered_again(folders):
    # A file removed from a sub-folder leaves the folder's time as it was; the page's
    # selection, looked at on each rerun, drops the kept listing when its file is gone.
    (folders["data"] / "sub" / "b.geojson").write_text("{}", encoding="utf-8")
    assert hosting.shared_files() == ["data:sub/a.geojson", "data:sub/b.geojson"]
    (folders["data"] / "sub" / "b.geojson").unlink()
    assert hosting.shared_files(chosen="data:sub/a.geojson") == [
        "data:sub/a.geojson", "data:sub/b.geojson"
    ]  # the chosen file is there: the kept listing stands
    assert hosting.shared_files(chosen="data:sub/b.geojson") == ["data:sub/a.geojson"]
    assert hosting.shared_files(chosen="data:../elsewhere.geojson") == ["data:sub/a.geojson"]


def test_the_listing_follows_the_folders_setting(folders, monkeypatch, tmp_path):
    assert hosting.shared_files() == ["data:sub/a.geojson"]
    other = tmp_path / "other"
    other.mkdir()
    (other / "c.osm").write_text("", encoding="utf-8")
    monkeypatch.setenv(settings.DATA.variable, str(other))
    assert hosting.shared_files() == ["data:c.osm"]


def test_the_projects_own_data_folders_are_not_listed(folders):
    """An embedded dataset is offered by name, and the map's context layer is no source."""
    for folder, manifest in (("yrd", "dataset.json"), ("context", "context.json")):
        (folders["data"] / folder).mkdir()
        (folders["data"] / folder / manifest).write_text("{}", encoding="utf-8")
        (folders["data"] / folder / "lakes.geojson").write_text("{}", encoding="utf-8")
    hosting.forget_shared_files()
    assert hosting.shared_files() == ["data:sub/a.geojson"]


def test_the_shipped_data_folder_offers_no_file_of_its_own(monkeypatch, tmp_path):
    from helpers.paths import ROOT

    monkeypatch.setenv(settings.DATA.variable, str(ROOT / "data"))
    monkeypatch.setenv(settings.FETCHED.variable, str(tmp_path))
    hosting.forget_shared_files()
    assert hosting.shared_files() == []
