"""Every folder Jiegui keeps things in and every environment variable it reads, in one place.

All caches live under one root, ``~/.cache/jiegui``. Each folder can be moved with an
environment variable (an empty value counts as unset):

====================== ============================ =========================================
variable               default                      what is kept there
====================== ============================ =========================================
``JIEGUI_CACHE_DIR``   ``~/.cache/jiegui/results``  the app's results between restarts
                                                    (:mod:`app.result_cache`; pickles, so a
                                                    folder others may write to is not used)
(none: in that folder) ``<results>/secret.key``     the key that signs those results
                                                    (:mod:`app.result_store`); made with mode
                                                    0600, refused unless this user's and 0600
``JIEGUI_FETCH_DIR``   ``~/.cache/jiegui/fetched``  GeoPackages fetched from the app's panel
``JIEGUI_OSMNX_CACHE`` ``~/.cache/jiegui/osmnx``    osmnx's cache of Overpass and Nominatim
                                                    answers (``fetch --cache-folder`` wins)
``JIEGUI_BUILD_CACHE`` ``~/.cache/jiegui``          the Natural Earth tarball that
                                                    ``scripts/build_data.py`` downloads
====================== ============================ =========================================

Variables read by the tests only: ``JIEGUI_NETWORK_TESTS=1`` runs the tests that need the
internet; ``JIEGUI_CHROMIUM`` names the Chromium the browser tests drive. The benchmark
``crossings_benchmark`` reads ``JIEGUI_BENCH_WORKERS``.

The values are read when asked for, not at import, so a test or a server can set them first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

#: The root of every default cache folder.
CACHE_ROOT: Final[Path] = Path.home() / ".cache" / "jiegui"


@dataclass(frozen=True)
class FolderSetting:
    """A folder with a default that an environment variable may replace.

    Attributes
    ----------
    variable
        The environment variable's name.
    default
        The folder when the variable is unset or empty.
    purpose
        What is kept there, in one line.
    """

    variable: str
    default: Path
    purpose: str

    def path(self) -> Path:
        """The folder now: the variable's value (``~`` expanded) if set, else the default."""
        configured = os.environ.get(self.variable, "").strip()
        return Path(configured).expanduser() if configured else self.default


RESULTS: Final = FolderSetting(
    "JIEGUI_CACHE_DIR", CACHE_ROOT / "results", "the app's results between restarts"
)
FETCHED: Final = FolderSetting(
    "JIEGUI_FETCH_DIR", CACHE_ROOT / "fetched", "packages fetched from the app's panel"
)
OSMNX: Final = FolderSetting(
    "JIEGUI_OSMNX_CACHE", CACHE_ROOT / "osmnx", "osmnx's cache of Overpass/Nominatim answers"
)
BUILD: Final = FolderSetting(
    "JIEGUI_BUILD_CACHE", CACHE_ROOT, "downloads of the embedded dataset's build"
)

#: Every folder setting, for documentation and checks.
FOLDERS: Final[tuple[FolderSetting, ...]] = (RESULTS, FETCHED, OSMNX, BUILD)

#: Set to ``1`` to run the tests that need the internet.
NETWORK_TESTS_ENV: Final = "JIEGUI_NETWORK_TESTS"

#: The Chromium the browser tests drive (default: ``chromium`` on the PATH).
CHROMIUM_ENV: Final = "JIEGUI_CHROMIUM"

#: The result cache's secret, a file in :data:`RESULTS`' folder: 32 random bytes, made once
#: with mode 0600, that key the HMAC signing every result kept there (:mod:`app.result_store`).
RESULTS_KEY_NAME: Final = "secret.key"
