"""Command line: ``python -m geo crossings SOURCE ...``, ``fetch ...`` and ``export ...``.

Errors the user can fix are printed as one sentence on stderr with exit code 2, never as
a traceback, in English or Chinese (:func:`message_language`: ``--lang``, else
``JIEGUI_LANGUAGE``, else the locale, else English). Output files are never overwritten
unless ``--force`` is given, and are written atomically (:mod:`geo.io.atomic`): a failed
run leaves the old file as it was and nothing partial, and ``--force`` replaces the old
file only once the new one is complete.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import sys
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import fields
from pathlib import Path
from typing import Literal, NoReturn

import pandas as pd

from geo import cli_resilience, settings
from geo.analysis import CrossingResult, count_crossings
from geo.band import DEFAULT_BAND_M
from geo.basis import BASES, DEFAULT_BASIS, get_basis
from geo.cli_resilience import NETWORK_KM, out_path
from geo.cli_start import (
    CANCELLED,
    CANCELLED_EXIT,
    SCRIPT,
    argv_lang_option,
    argv_language,
    end_start_up,
    message_language,
    primary_language,
)
from geo.cli_words import argparse_language, put_help_language, type_name_zh
from geo.compare import Comparison, check_years, compare_years
from geo.datum import DATUMS, WGS84_DATUM
from geo.errors import InvalidParameterError, JieguiError
from geo.io.atomic import check_writable, write_atomically
from geo.io.border_report import render_border_table
from geo.io.city_figures import city_figures, render_city_figures
from geo.io.cluster import cluster_map
from geo.io.count_words import WORDS
from geo.io.export import export_files
from geo.io.fetch import fetch, load_regions
from geo.io.osm_file import is_osm_file
from geo.io.osm_way_halves import reading_processes
from geo.io.overpass import DEFAULT_RETRIES, DEFAULT_TIMEOUT_S, OVERPASS_URL
from geo.io.package import check_output, write_package
from geo.io.read_progress import ProgressCallback, ReadProgress, describe
from geo.io.report import render
from geo.io.scratch import wait_for_removals
from geo.io.sources import Source, load_source
from geo.labels import LANGUAGES, LAYER_LABELS
from geo.lifecycle import ACCEPTED_YEARS
from geo.names_zh import ChineseNames, feature_names_zh
from geo.overview import Overview, overview
from geo.pair_export import count_and_export
from geo.reconcile import (
    compare_with_documents,
    documented_basis,
    documented_years,
    explanations_zh,
)
from geo.rules import CrossingRules
from geo.text import COMMAND, Bilingual
from geo.timeline import Timeline, timeline
from layers import LINE_LAYERS, OSM_LAYERS, REGISTRY, STATUSES
from layers.highways import NETWORK_CLASSES


def _rules(pairs: Sequence[str]) -> CrossingRules:
    names = {f.name for f in fields(CrossingRules)}
    values: dict[str, float] = {}
    for item in pairs:
        key, _, raw = item.partition("=")
        if key not in names:
            known = ", ".join(sorted(names))
            raise InvalidParameterError(
                Bilingual(
                    f"Unknown rule {key!r}; rules are {known}.",
                    f"没有 {key!r} 这条判定规则，可用的规则有：{known}。",
                )
            )
        try:
            values[key] = float(raw)
        except ValueError:
            raise InvalidParameterError(
                Bilingual(
                    f"Rule {key} needs a number of metres, not {raw!r}; e.g. --rule {key}=100.",
                    f"规则 {key} 的值应为以米计的数字，而不是 {raw!r}；例如 --rule {key}=100。",
                )
            ) from None
    return CrossingRules(**values)


#: The years ``--as-of`` accepts: those the tags' dates are read in (:mod:`layers.base`).
AS_OF_YEARS = ACCEPTED_YEARS
#: The admin levels ``--admin-level`` accepts (OpenStreetMap uses 2 to 11).
ADMIN_LEVELS = (1, 12)


def _number(value: float, option: str, *, positive: bool, example: str) -> None:
    """Refuse a numeric option that is NaN, infinite, negative, or (``positive``) zero."""
    if math.isfinite(value) and (value > 0 if positive else value >= 0):
        return
    wanted = "a positive number" if positive else "0 or a positive number"
    wanted_zh = "正数" if positive else "0 或正数"
    raise InvalidParameterError(
        Bilingual(
            f"{option} must be {wanted} (got {value:g}); give e.g. {option} {example}.",
            f"{option} 应为{wanted_zh}（收到的是 {value:g}），例如 {option} {example}。",
        )
    )


def _within(value: int | None, option: str, bounds: tuple[int, int], example: str) -> None:
    """Refuse an integer option outside ``bounds`` (inclusive); None is fine."""
    if value is not None and not bounds[0] <= value <= bounds[1]:
        raise InvalidParameterError(
            Bilingual(
                f"{option} must be between {bounds[0]} and {bounds[1]} (got {value}); "
                f"give e.g. {option} {example}.",
                f"{option} 应在 {bounds[0]} 到 {bounds[1]} 之间（收到的是 {value}），"
                f"例如 {option} {example}。",
            )
        )


def _check_fetch_numbers(args: argparse.Namespace) -> None:
    """The numeric options of ``fetch``: finite and in range."""
    _number(args.band_km, "--band-km", positive=True, example="3")
    _number(args.sea_gap_km, "--sea-gap-km", positive=False, example="30")
    if args.network_km is not None:
        _number(args.network_km, "--network-km", positive=True, example="50")
        low, high = NETWORK_KM
        if not low <= args.network_km <= high:
            raise InvalidParameterError(
                Bilingual(
                    f"--network-km must be between {low:g} and {high:g} (got "
                    f"{args.network_km:g}); give e.g. --network-km 50.",
                    f"--network-km 应在 {low:g} 到 {high:g} 之间（收到的是 "
                    f"{args.network_km:g}），例如 --network-km 50。",
                )
            )
    _number(args.timeout, "--timeout", positive=True, example="180")
    _within(args.admin_level, "--admin-level", ADMIN_LEVELS, "4")
    if args.retries < 0:
        raise InvalidParameterError(
            Bilingual(
                f"--retries must be 0 or more (got {args.retries}).",
                f"--retries 不能小于 0（收到的是 {args.retries}），例如 --retries 3。",
            )
        )


#: The Chinese of what :func:`_csv` reads, for its error.
_WHAT_ZH = {"layer": "图层", "status": "状态"}


def _csv(text: str, allowed: Sequence[str], what: str) -> list[str]:
    items = [t.strip() for t in text.split(",") if t.strip()]
    bad = [t for t in items if t not in allowed]
    if bad or not items:
        shown, listed = ", ".join(bad) or repr(text), ", ".join(allowed)
        raise InvalidParameterError(
            Bilingual(
                f"Unknown {what} {shown}; choose from {listed}.",
                f"没有{_WHAT_ZH.get(what, what)} {shown}，请从以下选项中选择：{listed}。",
            )
        )
    return items


class JieguiParser(argparse.ArgumentParser):
    """argparse's parser, its usage errors said as Jiegui's errors: one sentence, exit 2.

    argparse's words are in the language of :func:`geo.cli_words.argparse_language` (the
    parser is built and used inside it); the sentence ends with where to read the options.
    """

    #: The language of the sentence's end (set by :func:`build_parser`).
    language: Literal["en", "zh"] = "en"

    def parse_args(  # type: ignore[override]  # argparse's overloads; this one is all we call
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        """argparse's, but arguments no option takes point to the command's own help.

        argparse finds them only after the command's parser is done, and said them with the
        program's help (``python -m geo --help``), which does not list the command's options.
        """
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = self._command_parser(getattr(parsed, "command", None)) or self
            message = argparse._("unrecognized arguments: %s")  # type: ignore[attr-defined]
            command.error(message % " ".join(extras))
        return parsed

    def _command_parser(self, command: str | None) -> argparse.ArgumentParser | None:
        """The parser of the command named ``command`` (None when there is none)."""
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction) and command is not None:
                found = action.choices.get(command)
                return found if isinstance(found, argparse.ArgumentParser) else None
        return None

    def error(self, message: str) -> NoReturn:
        """Print ``jiegui: MESSAGE`` and where to read the options; exit with code 2."""
        if self.language == "zh":
            sentence = f"{type_name_zh(message)}；运行 '{self.prog} --help' 查看可用的选项。"
        else:
            sentence = f"{message}; run '{self.prog} --help' for the options."
        self.exit(2, f"jiegui: {sentence}\n")


def build_parser(lang: Literal["en", "zh"] = "en") -> argparse.ArgumentParser:
    """The argument parser of ``python -m geo``, its help and usage errors in ``lang``.

    Use the parser inside :func:`geo.cli_words.argparse_language` of the same language, so
    that argparse's own words (usage, "required", "invalid choice") are in it too.
    """
    with argparse_language(lang):
        parser = _build_parser(lang)
    put_help_language(parser, lang)
    return parser


#: The help of ``--lang``, of the program and of each command.
_LANG_HELP = (
    "the language of messages (errors, help, progress and warnings): en or zh "
    "(default: JIEGUI_LANGUAGE, else the locale, e.g. LANG=zh_CN.UTF-8, else en)"
)


def program_name() -> str:
    """How the user called the command line: ``jiegui`` (the script), else ``python -m geo``."""
    return SCRIPT if os.path.basename(sys.argv[0]) == SCRIPT else COMMAND


def as_typed(text: str) -> str:
    """``text`` with the engine's commands named as the user called the command line.

    The engine writes a command to copy (the fetch that covers a border, the count that
    lists interface ids) as ``python -m geo ...`` (:data:`geo.text.COMMAND`): it does not
    read ``sys.argv``, and the page has no command of its own. Everything the command line
    prints or writes for a person (its output, ``--out`` files, errors, warnings) passes
    through here, so that a user who typed ``jiegui`` is told ``jiegui fetch ...``.

    Examples
    --------
    >>> as_typed("fetch it with `python -m geo fetch --places A,B`") == (
    ...     f"fetch it with `{program_name()} fetch --places A,B`"
    ... )
    True
    """
    name = program_name()
    return text if name == COMMAND else text.replace(f"{COMMAND} ", f"{name} ")


def _build_parser(lang: Literal["en", "zh"]) -> argparse.ArgumentParser:
    JieguiParser.language = lang
    parser = JieguiParser(
        prog=program_name(),
        description="Count the transport links that cross administrative borders.",
    )
    # --lang before the command too (python -m geo --lang zh --help): the program's own
    # option, which a command's --lang, given after it, overrides (suppressed when absent,
    # so that the command's default does not undo the program's).
    parser.add_argument("--lang", choices=LANGUAGES, help=_LANG_HELP)
    sub = parser.add_subparsers(dest="command", required=True)
    cross = sub.add_parser(
        "crossings",
        help="count cross-border interfaces",
        description="Count routes, interfaces and lanes crossing each border.",
    )
    cross.add_argument(
        "source",
        help="an .osm/.osm.gz/.osm.bz2/.osm.pbf file, a boundaries "
        "file (GeoJSON/GeoPackage/Shapefile), or an embedded dataset name",
    )
    cross.add_argument(
        "lines", nargs="*", metavar="[LAYER=]PATH", help="line files to add to a boundaries file"
    )
    cross.add_argument(
        "--region",
        help="report only borders of this region, by any of its names: Chinese or English, "
        "with or without 省/市/自治区 or Province, any case (浙江, 浙江省, zhejiang)",
    )
    cross.add_argument(
        "--neighbour",
        "--neighbor",
        dest="neighbour",
        help="with --region, report only its border with this neighbour (any of its names), "
        "as export and resilience do",
    )
    cross.add_argument("--admin-level", type=int, help="OSM admin_level of the regions")
    cross.add_argument(
        "--layers",
        default=",".join(LINE_LAYERS),
        help=f"comma-separated layers (default {','.join(LINE_LAYERS)}); 'ports' too with "
        "--overview, --all-regions, --compare or --timeline, whose tables always show each "
        "border's ports",
    )
    cross.add_argument(
        "--format",
        choices=("table", "json", "geojson", "csv"),
        default="table",
        help="table (default), json, geojson (interfaces), or csv (with --overview, "
        "--compare or --timeline; UTF-8 with a byte order mark, for Excel)",
    )
    mode = cross.add_mutually_exclusive_group()
    mode.add_argument(
        "--overview",
        action="store_true",
        help="one row per border: routes, interfaces and capacity of each layer, and ports",
    )
    mode.add_argument(
        "--all-regions",
        action="store_true",
        help="every border between two regions of --admin-level (default 4, provinces) of an "
        "OSM file, in one reading, as the --overview table",
    )
    mode.add_argument(
        "--compare",
        nargs=2,
        metavar=("YEAR_A", "YEAR_B"),
        help="the borders in two years side by side, and what changed between them",
    )
    mode.add_argument(
        "--timeline",
        nargs="*",
        metavar="YEAR",
        help="the borders year by year: from the data's first year to this one, or from "
        "FIRST (to LAST) when given",
    )
    cross.add_argument(
        "--out",
        type=out_path,
        help="write to this file instead of stdout; its extension must fit --format: .txt "
        "(table), .json (json), .geojson (geojson) or .csv (csv); - is stdout",
    )
    cross.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    cross.add_argument("--as-of", help="count the network of this year")
    cross.add_argument(
        "--basis",
        metavar="|".join(BASES),
        help="the counting basis: open (the default), open+construction (as the 2006 "
        "report counts), or planned (open, under construction and proposed)",
    )
    cross.add_argument(
        "--status",
        help=f"comma-separated statuses counted, instead of a --basis (from {', '.join(STATUSES)})",
    )
    cross.add_argument("--name-field", default="name", help="column naming regions in a file")
    cross.add_argument(
        "--datum",
        default=WGS84_DATUM,
        metavar="|".join(DATUMS),
        help="datum of your own GIS files: gcj02 (AMap/Gaode, Tencent and data derived from "
        "them) or bd09 (Baidu Maps), usually labelled EPSG:4326, is converted to WGS84 "
        "(default wgs84)",
    )
    cross.add_argument(
        "--workers",
        type=int,
        default=1,
        help="threads scanning the lines (default 1; 2 on two cores speeds up large inputs)",
    )
    cross.add_argument(
        "--progress",
        action="store_true",
        help="report the reading of an OSM file on stderr every few seconds (bytes read, "
        "lines selected, time elapsed and left); on by default when stderr is a terminal",
    )
    cross.add_argument(
        "--rule",
        action="append",
        default=[],
        metavar="NAME=METRES",
        help="override a crossing rule, e.g. --rule along_band_m=200",
    )
    _add_scheduler(cross)
    _add_fetch(sub)
    _add_export(sub)
    cli_resilience.add_parser(sub)
    cities = sub.add_parser(
        "cities",
        help="the report's figures of cities (investment, farm supply), with its quotes",
        description="Print the figures a dataset's document gives of its cities, one line "
        "per city and figure, each with the document's Chinese words and a translation.",
    )
    cities.add_argument("source", help="an embedded dataset name (yrd)")
    cities.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="the output: table (default), csv or json",
    )
    for command in sub.choices.values():
        command.add_argument(
            "--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=_LANG_HELP
        )
    return parser


def _add_scheduler(command: argparse.ArgumentParser) -> None:
    """The ``--scheduler`` option of a command that reads OSM files (docs/dask.md)."""
    command.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="read the OSM file(s) on this Dask cluster, one task per file, e.g. "
        "tcp://HOST:8786 (default: JIEGUI_DASK_SCHEDULER, else this machine; docs/dask.md)",
    )


def language_setting_warning(environ: Mapping[str, str] | None = None) -> Bilingual | None:
    """The sentence saying ``JIEGUI_LANGUAGE`` names no language known, or None when it does.

    :func:`message_language` passes over such a value (the page refuses it: it has no
    ``--lang`` to fall back on); the command line says so on stderr rather than ignore a
    setting without a word, and goes on: in the language of ``--lang`` when given, else in
    English and Chinese (:func:`setting_warning_lines`).

    Examples
    --------
    >>> language_setting_warning({"JIEGUI_LANGUAGE": "zh-CN"}) is None
    True
    >>> language_setting_warning({"JIEGUI_LANGUAGE": "fr"}).en[:30]
    "JIEGUI_LANGUAGE='fr' names no "
    """
    env = os.environ if environ is None else environ
    variable = settings.LANGUAGE.variable
    value = (env.get(variable) or "").strip()
    if not value or primary_language(value) in LANGUAGES:
        return None
    known = " or ".join(LANGUAGES)
    return Bilingual(
        f"{variable}={value[:40]!r} names no language Jiegui speaks ({known}, or a tag such "
        "as zh-CN), so it is ignored and messages follow --lang or the locale.",
        f"{variable}={value[:40]!r} 不是本工具支持的语言（{' 或 '.join(LANGUAGES)}，"
        "或 zh-CN 这样的标签），已忽略，消息语言改由 --lang 或系统语言环境决定。",
    )


def setting_warning_lines(warning: Bilingual, option: Literal["en", "zh"] | None) -> str:
    """The warning of :func:`language_setting_warning` as printed: ``jiegui: warning: ...``.

    In the language of ``--lang`` when one is given (``option``): the user said which they
    read. Without it, the language is the one the setting failed to name, so the warning
    is said in both, English then Chinese, one line each: the reader of either reads it.

    Examples
    --------
    >>> print(setting_warning_lines(Bilingual("Odd.", "奇怪。"), None))
    jiegui: warning: Odd.
    jiegui: 警告：奇怪。
    >>> print(setting_warning_lines(Bilingual("Odd.", "奇怪。"), "zh"))
    jiegui: 警告：奇怪。
    """
    lines = {"en": f"jiegui: warning: {warning.en}", "zh": f"jiegui: 警告：{warning.zh}"}
    return lines[option] if option is not None else "\n".join(lines.values())


def _add_export(sub: argparse._SubParsersAction[JieguiParser]) -> None:
    """The ``export`` subcommand's arguments."""
    export = sub.add_parser(
        "export",
        help="export one border's links for a GIS: GeoJSON with QGIS styles, GeoPackage, CSV",
        description="Export the links of one border (those with an interface on it), its "
        "interfaces, their history and the counts, in one year and counting basis: as a zip "
        "of GeoJSON files each with its QGIS style (.qml) beside it, a styled GeoPackage and "
        "CSV files (--out FILE.zip), or the GeoPackage alone (--out FILE.gpkg). The files are "
        "those the app's Export section gives (docs/exports.md).",
    )
    export.add_argument("source", help="an OSM file, a boundaries file or an embedded dataset")
    export.add_argument(
        "lines", nargs="*", metavar="[LAYER=]PATH", help="line files to add to a boundaries file"
    )
    export.add_argument("--region", required=True, help="the focus region")
    export.add_argument("--neighbour", help="the neighbour (default: all the region's neighbours)")
    export.add_argument(
        "--layers",
        default=",".join(REGISTRY),
        help=f"comma-separated layers (default {','.join(REGISTRY)})",
    )
    export.add_argument("--as-of", help="export the network of this year")
    export.add_argument("--basis", metavar="|".join(BASES), help="the counting basis")
    export.add_argument("--status", help="comma-separated statuses, instead of a --basis")
    export.add_argument("--admin-level", type=int, help="OSM admin_level of the regions")
    export.add_argument("--name-field", default="name", help="column naming regions in a file")
    export.add_argument(
        "--datum", default=WGS84_DATUM, metavar="|".join(DATUMS), help="datum of your own files"
    )
    export.add_argument(
        "--rule", action="append", default=[], metavar="NAME=METRES", help="a crossing rule"
    )
    export.add_argument(
        "--out", type=Path, required=True, help="the file to write: FILE.zip or FILE.gpkg"
    )
    export.add_argument("--force", action="store_true", help="replace --out if it exists")
    _add_scheduler(export)


#: What ``export --out`` can write, by extension.
EXPORT_KINDS = {".zip": "zip", ".gpkg": "gpkg"}


def run_export(args: argparse.Namespace) -> str:
    """Run the ``export`` command: write the file; return the summary line."""
    layer_names = _csv(args.layers, tuple(REGISTRY), "layer")
    statuses = _statuses(args)
    _as_of(args)
    _within(args.as_of, "--as-of", AS_OF_YEARS, "2020")
    _within(args.admin_level, "--admin-level", ADMIN_LEVELS, "4")
    kind = EXPORT_KINDS.get(args.out.suffix.lower())
    if kind is None:
        raise InvalidParameterError(
            Bilingual(
                f"--out {args.out} should end in .zip (every file, with QGIS styles) or .gpkg "
                "(the GeoPackage alone); e.g. --out zhejiang-shanghai.zip.",
                f"--out {args.out} 的扩展名应为 .zip（全部文件，含 QGIS 样式）或 .gpkg"
                "（仅 GeoPackage），例如 --out zhejiang-shanghai.zip。",
            )
        )
    rules = _rules(args.rule)
    _check_output(args)
    source = _load(args, layer_names, rules)
    pair = count_and_export(
        {n: source.layers[n] for n in layer_names if n in source.layers},
        source.region_set,
        region=args.region,
        neighbour=args.neighbour,
        as_of=args.as_of,
        statuses=statuses,
        data_year=source.data_year,
        coverage=source.coverage,
        rules=rules,
    )
    dataset = source.name if source.folder is not None else Path(args.source).stem.split(".")[0]
    files = export_files(pair, dataset=dataset)
    name, data, _ = files[kind]
    write_atomically(args.out, data, force=args.force)
    shown = ", ".join(f"{len(frame)} {layer}" for layer, frame in pair.layers.items())
    shown_zh = "、".join(
        f"{len(frame)} 个{_layer_zh(layer)}要素" for layer, frame in pair.layers.items()
    )
    what = name.rpartition("-")[0]
    return _in_language(
        args,
        Bilingual(
            f"Wrote {args.out} ({what}): {shown}, {len(pair.interfaces)} interface(s), "
            f"{len(pair.other_links)} other link(s)\n",
            f"已写出 {args.out}（{what}）：{shown_zh}，{len(pair.interfaces)} 个接口，"
            f"{len(pair.other_links)} 条其他连接\n",
        ),
    )


def _layer_zh(name: str) -> str:
    """A layer's name in Chinese (公路), for the command line's lines."""
    return LAYER_LABELS.get(name, {}).get("zh", name)


def _in_language(args: argparse.Namespace, text: Bilingual) -> str:
    """``text`` in the command line's language (:func:`message_language` of ``--lang``)."""
    return text.zh if message_language(args.lang) == "zh" else text.en


def _add_fetch(sub: argparse._SubParsersAction[JieguiParser]) -> None:
    """The ``fetch`` subcommand's arguments."""
    fetch = sub.add_parser(
        "fetch",
        help="fetch OSM features near borders into a GeoPackage",
        description="Fetch the features of each layer in a band around the chosen borders, "
        "from OpenStreetMap (online through osmnx, or a local .osm/.osm.pbf file), into a "
        "GeoPackage with a manifest. The GeoPackage is a source for 'crossings'.",
    )
    where = fetch.add_mutually_exclusive_group()
    where.add_argument(
        "--boundaries",
        metavar="PATH",
        help="regions from this file: polygons (GeoJSON/GeoPackage/Shapefile) or an OSM file "
        "with boundary relations (default: the --osm-file)",
    )
    where.add_argument(
        "--places",
        metavar="'A,B'",
        help="regions geocoded online (OpenStreetMap Nominatim), comma-separated: names, or "
        "OSM ids such as R913011 for an exact relation (choose an admin level that way)",
    )
    fetch.add_argument("--osm-file", metavar="PATH", help="read features offline from this file")
    fetch.add_argument(
        "--region", help="follow the borders of this region (any of its names, as for crossings)"
    )
    fetch.add_argument(
        "--neighbour",
        help="only the border between --region and this region (any of its names)",
    )
    fetch.add_argument("--admin-level", type=int, help="OSM admin_level of the regions")
    fetch.add_argument("--name-field", default="name", help="column naming regions in a file")
    fetch.add_argument(
        "--layers",
        default=",".join(LINE_LAYERS),
        help=f"comma-separated layers (default {','.join(LINE_LAYERS)}; 'ports' too)",
    )
    fetch.add_argument(
        "--band-km", type=float, default=DEFAULT_BAND_M / 1000, help="band half-width (km)"
    )
    fetch.add_argument(
        "--sea-gap-km",
        type=float,
        default=30.0,
        help="add the water between coasts closer than this (km; 0 for none)",
    )
    fetch.add_argument(
        "--network-km",
        type=float,
        help="also fetch the main roads and railways within this half-width (km), a wider "
        "band, as the network 'resilience' routes on",
    )
    fetch.add_argument(
        "--network-classes",
        default=",".join(NETWORK_CLASSES),
        help="road classes of that network, comma-separated (default %(default)s, with "
        "their slip roads)",
    )
    fetch.add_argument("--overpass-url", default=OVERPASS_URL, help="Overpass API base URL")
    fetch.add_argument("--nominatim-url", help="Nominatim base URL for --places")
    fetch.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds per HTTP request"
    )
    fetch.add_argument(
        "--retries", type=int, default=DEFAULT_RETRIES, help="retries of a failed download"
    )
    fetch.add_argument(
        "--cache-folder",
        type=Path,
        help="osmnx's response cache (default: $JIEGUI_OSMNX_CACHE, else ~/.cache/jiegui/osmnx)",
    )
    fetch.add_argument("--out", type=Path, required=True, help="the GeoPackage to write (.gpkg)")
    fetch.add_argument("--force", action="store_true", help="replace --out if it exists")


def run_fetch(args: argparse.Namespace) -> str:
    """Run the ``fetch`` command; return the summary line."""
    layer_names = _csv(args.layers, OSM_LAYERS, "layer")
    _check_fetch_numbers(args)
    _check_out(args.out, [p for p in (args.boundaries, args.osm_file) if p])
    check_output(args.out, force=args.force)
    boundaries = args.boundaries or (args.osm_file if not args.places else None)
    places = [p.strip() for p in (args.places or "").split(",") if p.strip()]

    lang = message_language(args.lang)

    def progress(message: Bilingual) -> None:
        print(as_typed(message.zh if lang == "zh" else message.en), file=sys.stderr, flush=True)

    region_set, regions_from = load_regions(
        boundaries=boundaries,
        places=places,
        region=args.region,
        admin_level=args.admin_level,
        name_field=args.name_field,
        maritime_gap_m=args.sea_gap_km * 1000,
        nominatim_url=args.nominatim_url,
    )
    result = fetch(
        region_set,
        regions_from=regions_from,
        region=args.region,
        neighbour=args.neighbour,
        layer_names=layer_names,
        width_m=args.band_km * 1000,
        sea_gap_m=args.sea_gap_km * 1000,
        osm_file=args.osm_file,
        overpass_url=args.overpass_url,
        timeout_s=args.timeout,
        retries=args.retries,
        cache_folder=args.cache_folder,
        progress=progress,
        network_width_m=None if args.network_km is None else args.network_km * 1000,
        network_classes=[c.strip() for c in args.network_classes.split(",") if c.strip()],
    )
    for warning in [*region_set.warnings, *result.warnings]:
        progress(Bilingual(f"warning: {warning.en}", f"警告：{warning.zh}"))
    written = write_package(result, args.out, force=args.force)
    features = result.manifest["features"].items()
    counts = ", ".join(f"{n:,} {name}" for name, n in features)
    counts_zh = "、".join(f"{n:,} 个{_layer_zh(name)}要素" for name, n in features)
    network = result.manifest.get("network", {}).get("features", {}).items()
    if network:
        counts += "; network band: " + ", ".join(f"{n:,} main {name}" for name, n in network)
        counts_zh += "；网络范围：" + "、".join(
            f"{n:,} 条主要{_layer_zh(name)}" for name, n in network
        )
    return _in_language(
        args,
        Bilingual(
            f"Wrote {written[0]} ({counts}) and {written[1].name}\n",
            f"已写出 {written[0]}（{counts_zh}）和 {written[1].name}\n",
        ),
    )


def _emit(args: argparse.Namespace, text: str) -> None:
    """A text command's output: to ``--out`` (whole or not at all, said on stderr), else stdout."""
    text = as_typed(text)
    if args.out is None:
        sys.stdout.write(text)
        return
    write_atomically(args.out, text, force=args.force)
    wrote = Bilingual(f"Wrote {args.out}", f"已写出 {args.out}")
    print(_in_language(args, wrote), file=sys.stderr)


def _check_output(args: argparse.Namespace) -> None:
    """Refuse ``--out`` naming an input, or an existing file without ``--force``."""
    _check_out(args.out, [args.source, *(item.rpartition("=")[2] for item in args.lines)])
    check_writable(args.out, force=args.force)


#: The extensions of ``--out`` each ``--format`` of ``crossings`` and ``resilience`` writes
#: (GeoJSON is JSON, so ``.json`` takes it too).
FORMAT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "table": (".txt",),
    "json": (".json",),
    "geojson": (".geojson", ".json"),
    "csv": (".csv",),
}
#: What each format writes, for the sentence refusing another extension.
FORMAT_WORDS = {
    "table": Bilingual("a text table", "文本表格"),
    "json": Bilingual("a JSON report", "JSON 报告"),
    "geojson": Bilingual("GeoJSON features", "GeoJSON 要素"),
    "csv": Bilingual("a CSV table", "CSV 表格"),
}
#: Extensions of other files (GIS, spreadsheets, archives) that no ``--format`` writes.
OTHER_SUFFIXES = (".gpkg", ".shp", ".zip", ".xlsx", ".xls", ".kml", ".gml", ".parquet")


def check_out_format(out: Path, fmt: str) -> None:
    """Refuse an ``--out`` whose extension says another kind of file than ``--format``.

    The format is never guessed from the extension: ``--format`` (``table`` by default)
    alone decides what is written, and the modes each format allows (``csv`` only for the
    border tables, ``geojson`` only for the interfaces) are checked on it; an extension
    that contradicts it (``--format geojson --out zj.gpkg``, JSON text in a file a GIS
    would read as a GeoPackage; ``--out x.csv`` without ``--format``, a text table in a
    file a spreadsheet would open) is refused in one sentence that names both fixes. An
    extension no format claims (none, ``.out``, ``.log``) is the user's choice and taken.

    Raises
    ------
    InvalidParameterError
        When the extension is another format's, or a kind no format writes (``.gpkg``).
    """
    suffix = out.suffix.lower()
    known = {s for suffixes in FORMAT_SUFFIXES.values() for s in suffixes}
    if suffix not in known | set(OTHER_SUFFIXES) or suffix in FORMAT_SUFFIXES[fmt]:
        return
    fits = [f for f, suffixes in FORMAT_SUFFIXES.items() if suffix in suffixes]
    name = out.with_suffix(FORMAT_SUFFIXES[fmt][0]).name
    words = FORMAT_WORDS[fmt]
    other = (
        Bilingual(f"give --format {fits[0]} or ", f"请加上 --format {fits[0]}，或")
        if fits
        else Bilingual("", "请")
    )
    raise InvalidParameterError(
        Bilingual(
            f"--out {out.name} ends in {suffix}, but --format {fmt} writes {words.en}; "
            f"{other.en}name the file {name}.",
            f"--out {out.name} 的扩展名是 {suffix}，而 --format {fmt} 写出的是{words.zh}；"
            f"{other.zh}把文件命名为 {name}。",
        )
    )


def _load(
    args: argparse.Namespace,
    layer_names: Sequence[str],
    rules: CrossingRules,
    *,
    near_borders_m: float | None = None,
    progress: ProgressCallback | None = None,
) -> Source:
    """Load SOURCE as the command line names it, on the Dask cluster when one is named.

    Parameters
    ----------
    args
        The parsed command line (source, line files, region, admin level, name field,
        datum, scheduler).
    layer_names
        The layers to read.
    rules
        The crossing rules (their sea gap joins regions over water).
    near_borders_m, progress
        As :func:`geo.io.sources.load_source`.
    """
    address = settings.dask_scheduler(args.scheduler)
    with cluster_map(address) if address else nullcontext() as run:
        return load_source(
            args.source,
            args.lines,
            region=args.region,
            admin_level=args.admin_level,
            layer_names=layer_names,
            name_field=args.name_field,
            maritime_gap_m=rules.maritime_gap_m,
            datum=args.datum,
            near_borders_m=near_borders_m,
            progress=progress,
            run=run,
            processes=reading_processes(),
        )


def run_crossings(args: argparse.Namespace) -> str:
    """Run the ``crossings`` command and return its output text."""
    asked = _csv(args.layers, (*LINE_LAYERS, PORTS_LAYER), "layer")
    statuses = _statuses(args)
    _as_of(args)
    if args.workers < 1:
        raise InvalidParameterError(
            Bilingual(
                f"--workers must be 1 or more (got {args.workers}).",
                f"--workers 至少为 1（收到的是 {args.workers}），例如 --workers 2。",
            )
        )
    _within(args.as_of, "--as-of", AS_OF_YEARS, "2020")
    _within(args.admin_level, "--admin-level", ADMIN_LEVELS, "4")
    rules = _rules(args.rule)
    mode = _mode(args)
    layer_names = _line_layers(asked, mode)
    _neighbour_needs_region(args)
    if args.all_regions:
        _all_regions(args)
    if args.out is not None:
        _check_output(args)
        check_out_format(args.out, args.format)
    source = _load(
        args,
        layer_names if mode is None else [*layer_names, PORTS_LAYER],
        rules,
        # A count (or the overview) needs only the lines near borders; a comparison or a
        # timeline takes its years from every feature, so it reads them all.
        near_borders_m=rules.reach_m if mode in (None, "overview") else None,
        progress=_progress_printer(args),
    )
    if args.region is not None:
        # Any of its names (zh or en, with or without 省/市, any case): the data's from here.
        args.region = source.region_set.require(args.region)
    if args.neighbour is not None:  # as export and resilience check it: one of its neighbours
        args.neighbour = source.region_set.require_neighbour(str(args.region), args.neighbour)
    if mode is not None:
        table = _border_table(mode, args, source, rules, statuses)
        return render_border_table(
            table,
            args.format,
            source=source.name,
            attribution=Bilingual(source.attribution, source.attribution_zh or source.attribution),
            lang=message_language(args.lang),
            names=ChineseNames.of(source.region_set.regions, source.layers),
        )
    result = count_crossings(
        source.layers,
        source.region_set,
        rules=rules,
        region=args.region,
        as_of=args.as_of,
        statuses=statuses,
        data_year=source.data_year,
        workers=args.workers,
        coverage=source.coverage,
        neighbour=args.neighbour,
    )
    documented = _reconciliation(source, result, args, rules, statuses)
    lang = message_language(args.lang)
    in_chinese = lang == "zh" and args.format == "table"
    return render(
        result,
        args.format,
        source=source.name,
        attribution=source.credit,
        documented=documented,
        lang=lang,
        features_zh=_features_zh(source, result) if in_chinese else None,
        explanations_zh=explanations_zh(source.folder) if in_chinese and source.folder else None,
    )


def _features_zh(source: Source, result: CrossingResult) -> dict[str, str]:
    """The Chinese names of the features forming the interfaces (a Chinese table's names)."""
    ids = {i for ids in result.interfaces["source_ids"] for i in str(ids or "").split(";") if i}
    return feature_names_zh(source.layers.values(), ids)


def _progress_printer(args: argparse.Namespace) -> ProgressCallback | None:
    """Print a read's progress on stderr in the CLI's language: ``--progress`` or a terminal."""
    if not (args.progress or sys.stderr.isatty()):
        return None

    def say(progress: ReadProgress) -> None:
        print(_in_language(args, describe(progress)), file=sys.stderr, flush=True)

    return say


def _neighbour_needs_region(args: argparse.Namespace) -> None:
    """Refuse ``--neighbour`` without ``--region``: a neighbour is the other side of its border.

    ``crossings --neighbour`` has the meaning it has for ``export`` and ``resilience``:
    the one border of ``--region`` with that neighbour is reported (its rows as the count
    of every border of the region gives them), in every format and mode. A neighbour that
    is no region of the data, or that does not border the region, is refused with the
    sentence those commands say (:meth:`geo.regions.RegionSet.require_neighbour`).
    """
    if args.neighbour is not None and args.region is None:
        raise InvalidParameterError(
            Bilingual(
                f"--neighbour {args.neighbour} is the other side of a border of --region, and "
                "no --region is given; add the region whose border it is, e.g. --region "
                "Zhejiang --neighbour Shanghai.",
                f"--neighbour {args.neighbour} 是 --region 所给地区某条边界的另一侧，但没有给出 "
                "--region；请加上这条边界所属的地区，例如 --region Zhejiang --neighbour Shanghai。",
            )
        )


#: The point layer of ports (:mod:`layers.ports`), which ``crossings --layers`` may name.
PORTS_LAYER = "ports"


def _line_layers(asked: list[str], mode: str | None) -> list[str]:
    """The line layers ``crossings`` counts, from its ``--layers`` (``asked``).

    Ports are sites, not lines (:mod:`geo.port_borders`): a port has no crossing of its own,
    and a border's ports are those the links counted across it reach (the Donghai Bridge,
    a highway, sets Yangshan beside Zhejiang–Shanghai). So ``ports`` is taken with a border
    table (``--overview``, ``--all-regions``, ``--compare``, ``--timeline``), which always
    shows each border's ports, whether ``--layers`` names them or not (as before); named
    alone, every line layer is counted, for the links that set the ports on their borders.
    The plain count lists crossings, which a port has none of: ``ports`` is refused there,
    in one sentence saying why and which option shows them.

    Raises
    ------
    InvalidParameterError
        When ``ports`` is asked of the plain count.
    """
    lines = [n for n in asked if n != PORTS_LAYER]
    if len(lines) == len(asked):
        return lines
    if mode is None:
        raise InvalidParameterError(
            Bilingual(
                "--layers ports: a port is a site, not a line, so it has no crossing of its own "
                "for this count to list; add --overview (or --compare, --timeline), whose table "
                "sets each port beside the border that the links reaching it cross (Yangshan "
                "beside Shanghai–Zhejiang), or leave ports out of --layers.",
                "--layers ports：港口是场站而不是线路，本身没有可供本统计列出的跨界接口；"
                "请加上 --overview（或 --compare、--timeline），其汇总表会把每个港口列在通往它的"
                "联系所跨越的边界旁（洋山港列在上海—浙江边界旁），或从 --layers 中去掉 ports。",
            )
        )
    return lines or list(LINE_LAYERS)


#: The admin level ``--all-regions`` counts when none is given: provinces.
ALL_REGIONS_ADMIN_LEVEL = 4


def _all_regions(args: argparse.Namespace) -> None:
    """Check ``--all-regions`` (no ``--region``, an OSM file) and set its admin level."""
    if args.region is not None:
        raise InvalidParameterError(
            Bilingual(
                f"--all-regions counts every border, --region {args.region} only that region's; "
                "give one of them.",
                f"--all-regions 统计所有边界，--region {args.region} 只统计该地区的边界，"
                "请只保留其中一个。",
            )
        )
    if not is_osm_file(args.source):
        raise InvalidParameterError(
            Bilingual(
                f"--all-regions chooses the regions of an OpenStreetMap file by admin level, "
                f"and {Path(args.source).name} is not one; use --overview for every border "
                "of a boundaries file or a dataset.",
                f"--all-regions 按行政级别从 OpenStreetMap 文件中选取地区，"
                f"而 {Path(args.source).name} 不是这种文件；边界文件或内置数据集的所有边界"
                "请用 --overview 统计。",
            )
        )
    if args.admin_level is None:
        args.admin_level = ALL_REGIONS_ADMIN_LEVEL


def _statuses(args: argparse.Namespace) -> list[str]:
    """The statuses counted: those of ``--basis`` or ``--status`` (not both), else the default."""
    if args.basis is not None and args.status is not None:
        raise InvalidParameterError(
            Bilingual(
                f"--basis {args.basis} and --status {args.status} both say what to count; give "
                "only one (--basis open+construction is --status open,construction).",
                f"--basis {args.basis} 和 --status {args.status} 都在指定统计口径，只能保留一个"
                "（--basis open+construction 即 --status open,construction）。",
            )
        )
    if args.status is not None:
        return _csv(args.status, STATUSES, "status")
    return list(get_basis(args.basis or DEFAULT_BASIS).statuses)


def _year(text: str, option: str) -> int:
    """A year typed on the command line, as a whole number (range checked later)."""
    try:
        return int(text.strip())
    except ValueError:
        example = {"--compare": "2006 2024", "--as-of": "2020"}.get(option, "1990")
        raise InvalidParameterError(
            Bilingual(
                f"{option} takes whole years such as 2006 (got {text!r}); give e.g. "
                f"{option} {example}.",
                f"{option} 只接受 2006 这样的整数年份（收到的是 {text!r}），"
                f"例如 {option} {example}。",
            )
        ) from None


def _as_of(args: argparse.Namespace) -> None:
    """Read ``--as-of`` as a whole year in place (:func:`_year`); its range is checked later.

    The option is read as text, not with argparse's ``type=int``, so that ``--as-of 20O6``
    gets the one sentence with an example that ``--compare 2006 20O6`` gets, in the
    language chosen, rather than argparse's ``invalid int value``.
    """
    if isinstance(args.as_of, str):
        args.as_of = _year(args.as_of, "--as-of")


def _mode(args: argparse.Namespace) -> str | None:
    """The border table asked for (``overview``, ``compare``, ``timeline``) or None.

    Checks what the mode allows: its format, its years, and ``--as-of``.
    """
    mode = (
        "overview" if args.overview or args.all_regions
        else "compare" if args.compare is not None
        else "timeline" if args.timeline is not None
        else None
    )  # fmt: skip
    if mode is None:
        if args.format == "csv":
            raise InvalidParameterError(
                Bilingual(
                    "--format csv is for the border tables; add --overview, --compare YEAR_A "
                    "YEAR_B or --timeline, or use --format table or json for the interfaces.",
                    "--format csv 只用于边界汇总表：请加上 --overview、--compare 年份A 年份B "
                    "或 --timeline；要输出接口清单，请用 --format table 或 json。",
                )
            )
        return None
    if args.format == "geojson":
        raise InvalidParameterError(
            Bilingual(
                f"--{mode} gives a table, not map features; use --format table, json or csv "
                f"(or drop --{mode} for the interfaces as GeoJSON).",
                f"--{mode} 输出的是表格而不是地图要素：请用 --format table、json 或 csv"
                f"（要以 GeoJSON 输出接口，请去掉 --{mode}）。",
            )
        )
    if mode == "compare":
        args.compare = check_years(*(_year(t, "--compare") for t in args.compare))
    if mode == "timeline":
        if len(args.timeline) > 2:
            raise InvalidParameterError(
                Bilingual(
                    f"--timeline takes at most two years, the first and the last (got "
                    f"{len(args.timeline)}); give e.g. --timeline 1990 2026.",
                    f"--timeline 最多只接受起止两个年份（收到 {len(args.timeline)} 个），"
                    "例如 --timeline 1990 2026。",
                )
            )
        args.timeline = [_year(t, "--timeline") for t in args.timeline]
        for year in args.timeline:
            _within(year, "--timeline", AS_OF_YEARS, "1990")
        if len(args.timeline) == 2 and args.timeline[0] > args.timeline[1]:
            first, last = args.timeline
            raise InvalidParameterError(
                Bilingual(
                    f"--timeline {first} {last} ends before it starts; give the earlier year "
                    f"first, e.g. --timeline {last} {first}.",
                    f"--timeline {first} {last} 的结束年份早于起始年份，请把较早的年份放在前面，"
                    f"例如 --timeline {last} {first}。",
                )
            )
    if mode != "overview" and args.as_of is not None:
        raise InvalidParameterError(
            Bilingual(
                f"--as-of and --{mode} both give the years counted; drop --as-of.",
                f"--as-of 和 --{mode} 都在指定统计年份，请去掉 --as-of。",
            )
        )
    return mode


def _border_table(
    mode: str,
    args: argparse.Namespace,
    source: Source,
    rules: CrossingRules,
    statuses: list[str],
) -> Overview | Comparison | Timeline:
    """The overview, comparison or timeline the command asks for."""
    layers, regions, region = source.layers, source.region_set, args.region
    neighbour = args.neighbour
    if mode == "overview":
        return overview(
            layers, regions, as_of=args.as_of, statuses=statuses, region=region, rules=rules,
            data_year=source.data_year, workers=args.workers, coverage=source.coverage,
            neighbour=neighbour,
        )  # fmt: skip
    if mode == "compare":
        year_a, year_b = args.compare
        return compare_years(
            layers, regions, year_a, year_b, statuses=statuses, region=region, rules=rules,
            data_year=source.data_year, workers=args.workers, coverage=source.coverage,
            neighbour=neighbour,
        )  # fmt: skip
    return timeline(
        layers,
        regions,
        first_year=args.timeline[0] if args.timeline else None,
        last_year=args.timeline[1] if len(args.timeline) > 1 else None,
        statuses=statuses,
        region=region,
        rules=rules,
        data_year=source.data_year,
        folder=source.folder,
        workers=args.workers,
        coverage=source.coverage,
        neighbour=neighbour,
    )


def _check_out(out: Path, inputs: Sequence[str]) -> None:
    """Refuse an ``--out`` that is one of the inputs (``--force`` or not), or holds a NUL.

    An input holding a NUL (which ``main`` can be given in-process, never from a shell) is
    no file, so it cannot be ``--out``: the loader then says that it does not exist.
    """
    if "\0" in str(out):
        raise InvalidParameterError(
            Bilingual(
                "--out holds a NUL character, which no file name can; give another output path.",
                "--out 中含有 NUL 字符，文件名不能包含它，请换一个输出路径。",
            )
        )
    if out.resolve() in {Path(item).resolve() for item in inputs if "\0" not in item}:
        raise InvalidParameterError(
            Bilingual(
                f"--out {out} is one of the input files; choose another output path.",
                f"--out {out} 正是输入文件之一，请换一个输出路径，以免覆盖输入。",
            )
        )


def _reconciliation(
    source: Source,
    result: CrossingResult,
    args: argparse.Namespace,
    rules: CrossingRules,
    statuses: list[str],
) -> pd.DataFrame | Bilingual | None:
    """The documented figures beside computed ones, a hint, or None (no documented figures)."""
    years = documented_years(source.folder)
    if not years:
        return None
    if args.as_of not in years:
        hint = WORDS["documented_years"]
        return Bilingual(
            hint.en.format(years=", ".join(str(y) for y in years), first=years[0]),
            hint.zh.format(years="、".join(str(y) for y in years), first=years[0]),
        )
    basis = documented_basis(source.folder, args.as_of)
    reuse = result if basis is not None and set(statuses) == set(basis.statuses) else None
    return compare_with_documents(
        source, args.as_of, region=args.region, rules=rules, result=reuse, neighbour=args.neighbour
    )


def main(argv: Sequence[str] | None = None, *, end_on_cancel: bool = False) -> int:
    """Entry point; returns the exit code.

    Parameters
    ----------
    argv
        The arguments (``sys.argv[1:]`` when None).
    end_on_cancel
        On Ctrl-C, end the process as soon as the sentence is said (:func:`run`; never in
        a process that goes on, as the tests'): see :func:`_end_cancelled`.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = argv_language(argv)
    setting = language_setting_warning()
    if setting is not None:
        print(setting_warning_lines(setting, argv_lang_option(argv)), file=sys.stderr)
    with argparse_language(lang):
        args = build_parser(lang).parse_args(argv)
    end_start_up()  # a Ctrl-C from here on cleans up as it leaves (geo.cli_start)
    try:
        if args.command == "fetch":
            sys.stdout.write(as_typed(run_fetch(args)))
            return 0
        if args.command == "export":
            sys.stdout.write(as_typed(run_export(args)))
            return 0
        if args.command == "resilience":
            _as_of(args)
            if args.out is not None:
                _check_output(args)  # before the work, as crossings does
                check_out_format(args.out, args.format)
            _emit(args, cli_resilience.run(args, message_language(args.lang)))
            return 0
        if args.command == "cities":
            figures = city_figures(args.source)
            sys.stdout.write(render_city_figures(figures, args.format, source=args.source))
            return 0
        _emit(args, run_crossings(args))
    except JieguiError as exc:
        print(f"jiegui: {as_typed(exc.text(message_language(args.lang)))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Files are written whole or not at all (geo.io.atomic) and temporary folders are
        # removed as the exception leaves them: nothing partial is left.
        print(f"jiegui: {_in_language(args, CANCELLED)}", file=sys.stderr)
        if end_on_cancel:
            _end_cancelled()
        return CANCELLED_EXIT
    return 0


def _end_cancelled() -> NoReturn:
    """End the process now with :data:`CANCELLED_EXIT`, the interrupted read left as it is.

    When this is called the temporary folders are gone (removed as the interrupt left their
    ``with`` blocks) and no output is being written. Only the reader interrupted in C++ is
    still alive, held by the interrupt's traceback: freed, libosmium's reader first decodes
    what its thread had read ahead, which after a Ctrl-C early in the nodes of the 150 M-node
    file kept the process 10.5 s past its sentence (0.2-0.4 s on the 57 MB file). Ending
    here skips it; the standard streams are flushed first.
    """
    wait_for_removals()  # a read's folders handed to a thread after success (os._exit won't)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(CANCELLED_EXIT)


def run() -> NoReturn:
    """The ``python -m geo`` and ``jiegui`` commands: :func:`main`, then exit with its code.

    The objects of the imported libraries (tens of thousands: classes, functions, modules'
    tables) live until the exit. Set aside from the garbage collector (:func:`gc.freeze`)
    before the command and again after it, they are not visited on each of its full
    collections, nor in the passes the interpreter makes as it exits, which took about
    0.1 s of every command (benchmarks/README.md). Only here, never in :func:`main`: the
    tests call ``main`` in a process that goes on.
    """
    gc.freeze()
    code = main(end_on_cancel=True)
    gc.freeze()
    sys.exit(code)
