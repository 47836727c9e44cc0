"""What a user is told names no server: not a geocoder's address, not a file's folder.

* a failed geocoding (``fetch --places``) says what failed and the fix, not the library's
  text, which can hold the server's address, port and query; that text goes to the log;

Offline: osmnx's geocoder is replaced by one that fails.
"""

from __future__ import annotations

import logging

import osmnx
import pytest
import requests
from osmnx._errors import InsufficientResponseError
from test_osm_locations import refused

from geo.errors import InputFileError, NoBoundariesError
from geo.io.fetch import geocode_regions

#: What a library may say about a server: its address, port and query.
SERVER_TEXT = "HTTPConnectionPool(host='10.20.30.40', port=8088): Max retries exceeded with url"


@pytest.mark.parametrize(
    ("raised", "error", "words"),
    [
        (requests.ConnectionError(SERVER_TEXT), InputFileError, ("internet", "--boundaries")),
        (
            InsufficientResponseError(f"'10.20.30.40:8088' responded: 502 {SERVER_TEXT}"),
            NoBoundariesError,
            ("no boundary polygon", "--boundaries"),
        ),
    ],
)
def test_a_geocoding_error_names_no_server(monkeypatch, caplog, raised, error, words):
    def fail(*args: object, **kwargs: object) -> None:
        raise raised

    monkeypatch.setattr(osmnx, "geocode_to_gdf", fail)
    with caplog.at_level(logging.WARNING, logger="geo.io.fetch"), pytest.raises(error) as info:
        geocode_regions(["Zhejiang"], nominatim_url="http://10.20.30.40:8088/nominatim")
    sentence = str(info.value)
    assert "'Zhejiang'" in sentence and "\n" not in sentence
    for word in words:
        assert word in sentence
    for secret in ("10.20.30.40", "8088", "HTTPConnectionPool", "responded"):
        assert secret not in sentence
    assert "10.20.30.40" in caplog.text  # kept for whoever runs the server


def test_a_geocoding_error_on_the_command_line_is_one_line(monkeypatch, tmp_path):
    def fail(*args: object, **kwargs: object) -> None:
        raise requests.ConnectionError(SERVER_TEXT)

    monkeypatch.setattr(osmnx, "geocode_to_gdf", fail)
    out = tmp_path / "border.gpkg"
    sentence = refused(
        ["fetch", "--places", "Zhejiang,Shanghai", "--out", str(out)], "Geocoding 'Zhejiang'"
    )
    assert "10.20.30.40" not in sentence
