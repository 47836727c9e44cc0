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

Hosted mode, for one server used by a whole office (its section in
``docs/app-rendering-and-caching.md``); the upload settings apply in both modes:

============================ =============================== ====================================
variable                     default                         what it sets
============================ =============================== ====================================
``JIEGUI_HOSTED``            off                             ``1`` switches hosted mode on (no
                                                             server paths on the page)
``JIEGUI_DATA_DIR``          the project's ``data/``         the folder a hosted page reads files
                                                             from, besides the fetch folder
``JIEGUI_OVERPASS_URLS``     ``https://overpass-api.de/api`` the Overpass APIs a hosted server
                                                             may fetch from (commas between)
``JIEGUI_NOMINATIM_URLS``    osmnx's Nominatim               the Nominatim servers a hosted
                                                             server may ask
``JIEGUI_MAX_UPLOAD_MB``     ``200``                         the largest upload, in MB (also
                                                             Streamlit's
                                                             ``server.maxUploadSize``)
``JIEGUI_UPLOAD_DIR``        the system's temporary folder   where each session's private upload
                                                             folder is made
``JIEGUI_UPLOAD_KEEP_HOURS`` ``6``                           uploads unused this long are deleted
============================ =============================== ====================================

The page's language (:mod:`app.language`), in both modes:

======================= ======================== ==========================================
variable                default                  what it sets
======================= ======================== ==========================================
``JIEGUI_LANGUAGE``     the browser's language   ``zh`` or ``en`` (a tag such as ``zh-CN``
                        (English if neither)     counts by its first part): the language a
                                                 visitor's first view is in when the link
                                                 names none (``?lang=``); each visitor can
                                                 switch in the page
======================= ======================== ==========================================

Limits on the work one input may cause, so that a compression bomb (a few MB that expand to
gigabytes) or an oversized file ends in seconds with an error naming the limit, instead of
tying up a core or the memory of a shared server (:mod:`geo.io.input_limits`). Each is a whole
number above 0 that an environment variable may replace:

================================ =========== =============================================
variable                         default     what is limited
================================ =========== =============================================
``JIEGUI_MAX_DECOMPRESSED_MB``   ``8192``    MB a compressed input (``.osm.gz``,
                                             ``.osm.bz2``, ``.osm.pbf``, ``.zip``) may
                                             expand to; a plain ``.osm`` file's size
``JIEGUI_MAX_COMPRESSION_RATIO`` ``100``     how many times its own size a compressed
                                             input may expand to (beyond its first
                                             64 MB): bombs expand 1000 times and more
``JIEGUI_MAX_OSM_NODES``         ``1e8``     nodes in an OSM file
``JIEGUI_MAX_OSM_WAYS``          ``1e7``     ways in an OSM file
``JIEGUI_MAX_OSM_RELATIONS``     ``1e6``     relations in an OSM file
``JIEGUI_MAX_FEATURES``          ``5e6``     features in one layer of a user's GIS file
================================ =========== =============================================

The defaults let the largest Chinese province's extract through with room to spare (an
estimate from OSM's statistics: about 20 million nodes, 2.5 million ways, 30,000 relations,
200 MB as PBF, about 5 GB as XML; real extracts expand 2-3 times as PBF, about 9 times as
``.osm.gz`` and 13 as ``.osm.bz2``, measured on Monaco and Andorra), and stop a bomb after at
most a few hundred MB of decompression. All of China (about 170 million nodes) needs
``JIEGUI_MAX_OSM_NODES`` and ``JIEGUI_MAX_OSM_WAYS`` raised.

``JIEGUI_DASK_SCHEDULER`` (the command line's only; the page never reads it) is the address of
a Dask scheduler, e.g. ``tcp://HOST:8786``, on which ``python -m geo crossings`` reads its
OSM files, one task per file (:mod:`geo.io.cluster`, docs/dask.md); ``--scheduler`` wins.

``JIEGUI_READ_PROCESSES`` (the command line's only; default ``2``): ``1`` reads an OSM file's
ways in one process; otherwise, on two cores or more, the command line reads the second half
of them in a second process (:mod:`geo.io.osm_way_halves`).

``JIEGUI_CHROMIUM`` names the Chromium that draws the page's map as PNG and PDF
(:mod:`geo.io.render`; default: ``chromium`` on the ``PATH``), which the browser tests drive too.
Variables read by the tests only: ``JIEGUI_NETWORK_TESTS=1`` runs the tests that need the
internet. The benchmark ``crossings_benchmark`` reads ``JIEGUI_BENCH_WORKERS``.

The values are read when asked for, not at import, so a test or a server can set them first.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from geo.errors import InputTooLargeError, InvalidParameterError
from geo.text import Bilingual


def _env_text(variable: str) -> str:
    """An environment variable's value, stripped; ``""`` when unset (every setting reads so)."""
    return os.environ.get(variable, "").strip()


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
        configured = _env_text(self.variable)
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

#: Every cache folder's setting, for documentation and checks (hosted mode's folders are below).
FOLDERS: Final[tuple[FolderSetting, ...]] = (RESULTS, FETCHED, OSMNX, BUILD)

#: Set to ``1`` to run the tests that need the internet.
NETWORK_TESTS_ENV: Final = "JIEGUI_NETWORK_TESTS"

#: The Chromium that draws the map's PNG and PDF (:mod:`geo.io.render`) and that the browser
#: tests drive (default: ``chromium`` on the PATH).
CHROMIUM_ENV: Final = "JIEGUI_CHROMIUM"

#: The result cache's secret, a file in :data:`RESULTS`' folder: 32 random bytes, made once
#: with mode 0600, that key the HMAC signing every result kept there (:mod:`app.result_store`).
RESULTS_KEY_NAME: Final = "secret.key"

# ------------------------------------------------------------------------- hosted mode

#: The project's own data folder: the embedded datasets.
PROJECT_DATA: Final[Path] = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class FlagSetting:
    """A switch an environment variable turns on.

    Attributes
    ----------
    variable
        The environment variable's name.
    purpose
        What it switches, in one line.
    """

    variable: str
    purpose: str

    def on(self) -> bool:
        """Whether it is on now: set, and not ``0``, ``false``, ``no`` or ``off``.

        Any other value counts as on, so a mistyped value keeps the safer mode.
        """
        value = _env_text(self.variable).lower()
        return value not in ("", "0", "false", "no", "off")


@dataclass(frozen=True)
class NumberSetting:
    """A positive number with a default that an environment variable may replace.

    Attributes
    ----------
    variable
        The environment variable's name.
    default
        The number when the variable is unset or empty.
    purpose
        What it limits, in one line.
    """

    variable: str
    default: float
    purpose: str

    def value(self) -> float:
        """The number now.

        Raises
        ------
        InvalidParameterError
            When the variable is not a positive, finite number.
        """
        configured = _env_text(self.variable)
        if not configured:
            return self.default
        try:
            number = float(configured)
        except ValueError:
            number = float("nan")
        if not 0 < number < float("inf"):
            raise InvalidParameterError(
                Bilingual(
                    f"{self.variable} must be a positive number; it is {configured[:40]!r}.",
                    f"{self.variable} 应为正数，当前为 {configured[:40]!r}，请改正或取消该设置。",
                )
            )
        return number


@dataclass(frozen=True)
class ListSetting:
    """A list of values (commas or spaces between) that an environment variable may replace.

    Attributes
    ----------
    variable
        The environment variable's name.
    default
        The values when the variable is unset or empty.
    purpose
        What they allow, in one line.
    """

    variable: str
    default: tuple[str, ...]
    purpose: str

    def values(self) -> tuple[str, ...]:
        """The values now, in the order given."""
        configured = _env_text(self.variable).replace(",", " ").split()
        return tuple(configured) or self.default


HOSTED: Final = FlagSetting("JIEGUI_HOSTED", "hosted mode: no server paths on the page")
DATA: Final = FolderSetting(
    "JIEGUI_DATA_DIR", PROJECT_DATA, "the folder a hosted page reads files from"
)
OVERPASS_URLS: Final = ListSetting(
    "JIEGUI_OVERPASS_URLS",
    ("https://overpass-api.de/api",),
    "the Overpass APIs a hosted server may fetch from",
)
NOMINATIM_URLS: Final = ListSetting(
    "JIEGUI_NOMINATIM_URLS",
    ("https://nominatim.openstreetmap.org/",),
    "the Nominatim servers a hosted server may ask",
)
READ_PROCESSES: Final = NumberSetting(
    "JIEGUI_READ_PROCESSES", 2, "processes the command line reads an OSM file's ways with"
)
MAX_UPLOAD_MB: Final = NumberSetting("JIEGUI_MAX_UPLOAD_MB", 200, "the largest upload, in MB")
UPLOADS: Final = FolderSetting(
    "JIEGUI_UPLOAD_DIR",
    Path(tempfile.gettempdir()),
    "where each session's private upload folder is made",
)
#: The Dask scheduler of the command line (``--scheduler`` wins); none when unset.
DASK_SCHEDULER: Final = "JIEGUI_DASK_SCHEDULER"


def dask_scheduler(option: str | None = None) -> str | None:
    """The Dask scheduler's address: ``option`` (``--scheduler``) if given, else the variable.

    An empty value counts as unset: None, read on this machine.
    """
    if option is not None and option.strip():
        return option.strip()
    return _env_text(DASK_SCHEDULER) or None


UPLOAD_KEEP_HOURS: Final = NumberSetting(
    "JIEGUI_UPLOAD_KEEP_HOURS", 6, "uploads unused this long are deleted"
)


@dataclass(frozen=True)
class LanguageSetting:
    """A language an environment variable may name: one of ``choices``, or none.

    Attributes
    ----------
    variable
        The environment variable's name.
    choices
        The languages it may name (``"en"``, ``"zh"``).
    purpose
        What it sets, in one line.
    """

    variable: str
    choices: tuple[str, ...]
    purpose: str

    def value(self) -> str | None:
        """The language named now, None when the variable is unset or empty.

        A language tag counts by its first part, in any case: ``zh-CN``, ``zh_Hans`` and
        ``ZH`` name ``zh``.

        Raises
        ------
        InvalidParameterError
            When the variable names another language.
        """
        configured = _env_text(self.variable)
        if not configured:
            return None
        primary = configured.lower().replace("_", "-").split("-")[0]
        if primary not in self.choices:
            choices = ", ".join(self.choices)
            raise InvalidParameterError(
                Bilingual(
                    f"{self.variable} must name one of the languages {choices} "
                    f"(e.g. zh-CN); it is {configured[:40]!r}. Correct it, or unset it to "
                    "follow each visitor's browser.",
                    f"{self.variable} 应为 {choices} 之一（例如 zh-CN），当前为 "
                    f"{configured[:40]!r}；请改正，或取消该设置以跟随访问者浏览器的语言。",
                )
            )
        return primary


LANGUAGE: Final = LanguageSetting(
    "JIEGUI_LANGUAGE",
    ("en", "zh"),
    "the page's language for a visitor whose link names none (else the browser's)",
)


# ------------------------------------------------------------------------------ limits


@dataclass(frozen=True)
class LimitSetting:
    """A limit on the work one input may cause, with a default an environment variable may replace.

    Attributes
    ----------
    variable
        The environment variable's name.
    default
        The limit when the variable is unset or empty.
    what
        What is counted, in a few words (e.g. ``"nodes"``), for error messages.
    what_zh
        The same in Chinese, with its measure word (``"个节点"``); ``what`` when empty.
    """

    variable: str
    default: int
    what: str
    what_zh: str = ""

    def value(self) -> int:
        """The limit now: the variable's value (digits, ``_`` allowed) if set, else the default.

        Raises
        ------
        InvalidParameterError
            When the variable is set to anything but a whole number above 0.
        """
        raw = _env_text(self.variable)
        if not raw:
            return self.default
        digits = raw.replace("_", "")
        if not digits.isdigit() or int(digits) < 1:
            raise InvalidParameterError(
                Bilingual(
                    f"{self.variable} must be a whole number above 0, not {raw!r}; correct it, "
                    f"or unset it for the default ({self.default:,} {self.what}).",
                    f"{self.variable} 应为大于 0 的整数，而不是 {raw!r}；请改正，"
                    f"或取消该设置以使用默认值（{self.default:,} {self.what_zh or self.what}）。",
                )
            )
        return int(digits)

    def exceeded(self, problem: Bilingual) -> InputTooLargeError:
        """The error for an input beyond this limit, naming the setting and how to raise it.

        Parameters
        ----------
        problem
            What is wrong with the input, as the start of a sentence, e.g.
            ``"x.osm.pbf holds too many nodes"``.
        """
        limit = self.value()
        return InputTooLargeError(
            Bilingual(
                f"{problem.en}: more than the limit of {limit:,} {self.what} ({self.variable}); "
                f"if the file is genuine, raise the limit, e.g. {self.variable}={2 * limit}.",
                f"{problem.zh}，超过了 {limit:,} {self.what_zh or self.what}的上限"
                f"（{self.variable}）；如果文件确实无误，请调高上限，例如 "
                f"{self.variable}={2 * limit}。",
            )
        )


#: MB (2**20 bytes) a compressed input may expand to.
MAX_DECOMPRESSED_MB: Final = LimitSetting(
    "JIEGUI_MAX_DECOMPRESSED_MB", 8192, "MB decompressed", "MB（解压后）"
)
#: How many times its own size a compressed input may expand to, beyond its first 64 MB.
MAX_COMPRESSION_RATIO: Final = LimitSetting(
    "JIEGUI_MAX_COMPRESSION_RATIO", 100, "times its size", "倍（相对原大小）"
)
#: Nodes in an OSM file.
MAX_OSM_NODES: Final = LimitSetting("JIEGUI_MAX_OSM_NODES", 100_000_000, "nodes", "个节点")
#: Ways in an OSM file.
MAX_OSM_WAYS: Final = LimitSetting("JIEGUI_MAX_OSM_WAYS", 10_000_000, "ways", "条路径")
#: Relations in an OSM file.
MAX_OSM_RELATIONS: Final = LimitSetting(
    "JIEGUI_MAX_OSM_RELATIONS", 1_000_000, "relations", "个关系"
)
#: Features in one layer of a user's GIS file.
MAX_FEATURES: Final = LimitSetting("JIEGUI_MAX_FEATURES", 5_000_000, "features", "个要素")

#: Every limit, for documentation and checks.
LIMITS: Final[tuple[LimitSetting, ...]] = (
    MAX_DECOMPRESSED_MB,
    MAX_COMPRESSION_RATIO,
    MAX_OSM_NODES,
    MAX_OSM_WAYS,
    MAX_OSM_RELATIONS,
    MAX_FEATURES,
)
