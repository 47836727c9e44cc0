"""Coverage: which borders and layers a source's data hold, and from which year.

A count of 0 says "no link" only where the data hold that border's links; elsewhere it says
"not looked at". So every source states what it covers, per border (a region pair, in
either order) and layer, as a :class:`Coverage`:

* **an embedded dataset** declares it in its manifest (``dataset.json``, key
  ``coverage``, authored in ``sources/coverage.yaml``; :func:`declared`): each border
  and layer listed is covered, partly covered (the note says which links are authored)
  or not, optionally only from a year on (``since``: links that existed only before it
  were not looked for); every other border is not covered;
* **an OpenStreetMap extract** covers a border where the border lies inside the
  extract's bounds (the header's bounding box, else the extent of the ways read), at
  least :data:`EDGE_MARGIN_M` from their edge, so that both sides of a crossing are in
  the file; a border partly inside is partly covered, with the share said
  (:func:`within_area`). A bounding box is all a file says of its extent: an extract cut
  along a polygon close to a border leaves main roads stopping short of it inside the
  box, which the clipped-line warnings name;
* **a fetched GeoPackage** covers its layers exactly where its band reaches: the
  borders it was fetched for, and any other border only as far as the band holds it
  (:func:`within_area` with the band);
* **the user's own GIS files** cover every border for the layers they supply
  (:func:`supplied`). Decision: the files are the user's statement of the network; that
  a file stops short of a border cannot be told from the files alone (the clipped-line
  warnings catch main roads ending near one), and a layer not supplied is not counted
  at all, so it needs no "not covered" mark.

A covered border's figures are counts; a border not covered shows "not covered" instead
of 0 (:func:`geo.io.report.to_table`), and its JSON rows say ``covered: false`` with a note,
in English and Chinese, of what would cover it (:meth:`Coverage.note`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import shapely

from geo.errors import InvalidParameterError, layer_spec
from geo.labels import LAYER_LABELS
from geo.projection import WGS84
from geo.regions import RegionSet
from geo.text import COMMAND, Bilingual

#: A border closer than this (metres) to the edge of an extract's bounds counts as outside
#: them. A crossing counts once a line reaches ``noise_m`` (5 m) past the border, so the
#: other side need be in the file only a little way; this leaves room for the spacing of
#: nodes on a way the extract cut.
EDGE_MARGIN_M = 100.0
#: The share of a border's length inside an area from which it counts as wholly inside
#: (what is left is rounding).
WHOLE_SHARE = 0.999

#: The kinds of source a coverage is of; each has its own advice for what is not covered.
KINDS = ("dataset", "osm", "package", "files")


@dataclass(frozen=True)
class Cover:
    """Whether one border and layer is covered.

    Attributes
    ----------
    covered
        The data hold the links of this border and layer (all, or those :attr:`partly`
        says). False: a count here would be "not looked at", not 0.
    partly
        Only some of the border or of its links are held; :attr:`reason` says which.
    since
        The first year the data are complete for (None: every year); before it the
        border and layer are not covered.
    reason
        Why it is not or only partly covered (None when wholly covered).
    since_reason
        Why the data are complete only from :attr:`since` on.
    """

    covered: bool
    partly: bool = False
    since: int | None = None
    reason: Bilingual | None = None
    since_reason: Bilingual | None = None

    def at(self, as_of: int | None) -> Cover:
        """The cover in year ``as_of``: not covered before :attr:`since`."""
        if self.since is None or as_of is None or as_of >= self.since or not self.covered:
            return self
        reason = self.since_reason or Bilingual(
            f"the data hold this border's links only from {self.since} on",
            f"数据仅收录{self.since}年起跨越此边界的连接",
        )
        return Cover(False, since=self.since, reason=reason)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (the reasons as ``{"en", "zh"}``)."""
        return {
            "covered": self.covered,
            "partly": self.partly,
            "since": self.since,
            "reason": self.reason.as_dict() if self.reason else None,
            "since_reason": self.since_reason.as_dict() if self.since_reason else None,
        }


#: Wholly covered.
COVERED = Cover(True)


@dataclass(frozen=True)
class Coverage:
    """What one source covers, per border and layer.

    Attributes
    ----------
    kind
        One of :data:`KINDS`: what advice the notes give.
    source
        The source's name, for the notes.
    cells
        ``{(a, b, layer): Cover}`` with ``a`` and ``b`` sorted.
    default
        The cover of a border and layer not in :attr:`cells`.
    """

    kind: str
    source: str
    cells: Mapping[tuple[str, str, str], Cover] = field(default_factory=dict)
    default: Cover = COVERED

    def cover(self, a: str, b: str, layer: str, *, as_of: int | None = None) -> Cover:
        """The cover of the border ``a``–``b`` (either order) and ``layer`` in ``as_of``."""
        first, second = sorted((str(a), str(b)))
        return self.cells.get((first, second, layer), self.default).at(as_of)

    def note(
        self,
        a: str,
        b: str,
        layers: str | Sequence[str],
        *,
        as_of: int | None = None,
        names_zh: Mapping[str, str] | None = None,
    ) -> Bilingual | None:
        """One sentence on a border not (or partly) covered, with what would cover it.

        Parameters
        ----------
        a, b
            The border; ``a`` is the region the advice fetches around (the region a run
            is about).
        layers
            A layer, or layers sharing one cover (:meth:`notes` groups them); the note is
            of the first one's cover.
        as_of
            The year counted.
        names_zh
            For a reader of Chinese (the page): the regions' Chinese names
            (``{name: name_zh}``; a region without one is named as the data name it), and the
            Chinese note then names the layers in Chinese too
            (:data:`geo.labels.LAYER_LABELS`). None (the command line's outputs): regions and
            layers as the data name them. The command to fetch always names them so.

        Returns
        -------
        Bilingual or None
            None when the border and layer are wholly covered.
        """
        names = [layers] if isinstance(layers, str) else list(layers)
        cover = self.cover(a, b, names[0], as_of=as_of)
        if cover.covered and not cover.partly:
            return None
        reason = self.reason(cover, names[0], in_chinese=names_zh is not None)
        fix = self.fix(a, b, cover)
        listed = ", ".join(names)
        if names_zh is None:
            zh = _note_zh(cover, a, b, listed, reason.zh, fix.zh)
        else:
            zh = chinese_note(cover, a, b, names, reason.zh, fix.zh, names_zh)
        return Bilingual(f"{_head(cover).en} ({a}–{b}: {listed}): {reason.en}; {fix.en}.", zh)

    def notes(
        self,
        a: str,
        b: str,
        layers: Iterable[str],
        *,
        as_of: int | None = None,
        names_zh: Mapping[str, str] | None = None,
    ) -> list[tuple[list[str], Cover, Bilingual]]:
        """The notes of one border: its layers not wholly covered, grouped by their cover.

        ``names_zh``: the regions' Chinese names, for the Chinese notes (:meth:`note`).

        Returns
        -------
        list of (layers, cover, note)
            In the order of ``layers``' first appearance; wholly covered layers are left out.
        """
        groups: dict[Cover, list[str]] = {}
        for layer in dict.fromkeys(layers):
            cover = self.cover(a, b, layer, as_of=as_of)
            if not cover.covered or cover.partly:
                groups.setdefault(cover, []).append(layer)
        out = []
        for cover, names in groups.items():
            note = self.note(a, b, names, as_of=as_of, names_zh=names_zh)
            if note is not None:
                out.append((names, cover, note))
        return out

    def reason(self, cover: Cover, layer: str, *, in_chinese: bool = False) -> Bilingual:
        """Why a cover is not whole (its own reason, else a generic one).

        ``in_chinese``: the generic one names the layer in Chinese (for the page and the
        plain count's report in Chinese, :func:`geo.io.report.to_table`).
        """
        if cover.reason is not None:
            return cover.reason
        if in_chinese:
            zh = f"{self.source} 的{LAYER_LABELS.get(layer, {'zh': layer})['zh']}数据未涉及此边界"
        else:
            zh = f"{self.source} 的 {layer} 数据未涉及此边界"
        return Bilingual(f"the {layer} data of {self.source} do not reach this border", zh)

    def fix(self, a: str, b: str, cover: Cover) -> Bilingual:
        """What would cover the border ``a``–``b`` where ``cover`` is not whole.

        Fetching the border (:func:`fetch_command`, around ``a``), a bigger extract for an
        OSM file, or, before the year a dataset is complete from, the user's own files.
        """
        if cover.since is not None and not cover.covered:
            return Bilingual(
                "for that year, give your own GIS files of the network then",
                "如需统计该年份，请提供当年路网的GIS文件",
            )
        command = fetch_command(a, b)
        fetch = Bilingual(
            f"fetch that border with `{command}`", f"可用 `{command}` 获取该边界的数据"
        )
        if self.kind == "osm":
            return Bilingual(
                f"use a bigger extract, or {fetch.en}", f"请使用范围更大的数据，或{fetch.zh}"
            )
        if self.kind == "package":
            return fetch
        return Bilingual(
            f"{fetch.en}, or use an OpenStreetMap extract that holds it",
            f"{fetch.zh}，或使用包含该边界的 OpenStreetMap 数据",
        )


@dataclass(frozen=True)
class BorderNote:
    """Why one border's layers are not wholly covered, in some years of a table.

    What a border table (the overview, the timeline) says beside its figures, as the plain
    count does (:func:`geo.io.report.coverage_notes`).

    Attributes
    ----------
    a, b
        The border, ``a`` as the table has it (the focus region first).
    layers
        The layers sharing this cover.
    cover
        Their cover.
    reason
        Why (:meth:`Coverage.reason`, a clause; layers named as the data name them).
    reason_zh
        The same in Chinese with the layers named in Chinese (for a Chinese column).
    note
        One sentence saying why and what would cover it (:meth:`Coverage.note`).
    first_year, last_year
        The years of the table it holds for (None: the data as tagged).
    fix
        What would cover it (:meth:`Coverage.fix`), the end of :attr:`note`; None when
        not known (:meth:`in_chinese` then gives the note's Chinese as it is).
    """

    a: str
    b: str
    layers: tuple[str, ...]
    cover: Cover
    reason: Bilingual
    reason_zh: str
    note: Bilingual
    first_year: int | None = None
    last_year: int | None = None
    fix: Bilingual | None = None

    def in_chinese(self, names_zh: Mapping[str, str]) -> str:
        """The note for a reader of Chinese: regions by ``names_zh``, layers in Chinese.

        :attr:`note`'s Chinese names them as the data do (the command line's JSON and
        CSV keep it so); this is the page's wording (:meth:`Coverage.note` with
        ``names_zh``), for a Chinese text table.
        """
        if self.fix is None:
            return self.note.zh
        return chinese_note(
            self.cover, self.a, self.b, self.layers, self.reason_zh, self.fix.zh, names_zh
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the plain count's ``coverage`` entry, and the years it holds for."""
        return {
            "a": self.a,
            "b": self.b,
            "layers": list(self.layers),
            "covered": self.cover.covered,
            "partly": self.cover.partly,
            "since": self.cover.since,
            "reason": self.reason.as_dict(),
            "note": self.note.as_dict(),
            "first_year": self.first_year,
            "last_year": self.last_year,
        }


def _head(cover: Cover) -> Bilingual:
    """A note's first words: partly covered, or not covered."""
    if cover.covered:
        return Bilingual("Partly covered", "部分覆盖")
    return Bilingual("Not covered", "未覆盖")


def _note_zh(cover: Cover, a: str, b: str, listed: str, reason: str, fix: str) -> str:
    """The Chinese note (:meth:`Coverage.note`): ``部分覆盖（A–B：公路）：why；fix。``."""
    return f"{_head(cover).zh}（{a}–{b}：{listed}）：{reason}；{fix}。"


def chinese_note(
    cover: Cover,
    a: str,
    b: str,
    layers: Sequence[str],
    reason: str,
    fix: str,
    names_zh: Mapping[str, str],
) -> str:
    """The Chinese note for a reader of Chinese: regions by ``names_zh``, layers in Chinese.

    ``reason`` is the Chinese reason with the layers named in Chinese
    (:meth:`Coverage.reason` ``in_chinese``); a region without a Chinese name is named as
    the data name it. The command to fetch (in ``fix``) names them as the data do.
    """
    listed = "、".join(LAYER_LABELS.get(n, {"zh": n})["zh"] for n in layers)
    return _note_zh(cover, names_zh.get(a, a), names_zh.get(b, b), listed, reason, fix)


def border_notes(
    coverage: Coverage | None,
    borders: Iterable[tuple[object, object]],
    layers: Iterable[str],
    years: Sequence[int | None] = (None,),
) -> tuple[BorderNote, ...]:
    """The notes on a table's borders and line layers that are not wholly covered.

    Parameters
    ----------
    coverage
        The source's coverage; None: every border is covered (no note).
    borders
        The table's borders ``(a, b)``, in its order (``a`` is the region the advice
        fetches around).
    layers
        The table's layers; point layers (ports) are left out, as the plain count leaves
        them out.
    years
        The table's years, in order (``(None,)``: the data as tagged). A note holds for the
        consecutive years whose cover is the same (a dataset complete only from a year on
        has one note before that year and, when partly covered, another from it).

    Returns
    -------
    tuple of BorderNote
        By border, then by the first year each holds for.
    """
    if coverage is None:
        return ()
    lines = [n for n in dict.fromkeys(layers) if layer_spec(n).geometry == "line"]
    out: list[BorderNote] = []
    for a, b in dict.fromkeys((str(a), str(b)) for a, b in borders):
        runs: list[list[Any]] = []  # [names, cover, note, first, last]
        active: dict[tuple[tuple[str, ...], Cover], list[Any]] = {}
        for year in years:
            now: dict[tuple[tuple[str, ...], Cover], list[Any]] = {}
            for names, cover, note in coverage.notes(a, b, lines, as_of=year):
                key = (tuple(names), cover)
                run = active.get(key)
                if run is None:
                    run = [key[0], cover, note, year, year]
                    runs.append(run)
                run[4] = year
                now[key] = run
            active = now
        for names, cover, note, first, last in runs:
            reason = coverage.reason(cover, names[0])
            zh = coverage.reason(cover, names[0], in_chinese=True).zh
            fix = coverage.fix(a, b, cover)
            out.append(BorderNote(a, b, names, cover, reason, zh, note, first, last, fix))
    return tuple(out)


def fetch_command(region: str, neighbour: str) -> str:
    """The ``python -m geo fetch`` command that gets the features near one border.

    Named ``python -m geo`` (:data:`geo.text.COMMAND`): the command line prints it with the
    name the user typed (:func:`geo.cli.as_typed`).

    Examples
    --------
    >>> fetch_command("Zhejiang", "Anhui")
    'python -m geo fetch --places "Zhejiang,Anhui" --region Zhejiang --neighbour Anhui --out zhejiang-anhui.gpkg'
    """  # noqa: E501
    out = "-".join(_slug(name) for name in (region, neighbour))
    return (
        f'{COMMAND} fetch --places "{region},{neighbour}" --region {_quoted(region)} '
        f"--neighbour {_quoted(neighbour)} --out {out}.gpkg"
    )


def _slug(text: str) -> str:
    """Letters and digits of any script, lower case, other runs as ``-``."""
    out = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in out.split("-") if part) or "region"


def _quoted(name: str) -> str:
    """A region name as one shell word (quoted when it holds anything but letters/digits)."""
    return name if all(c.isalnum() or c in "-_." for c in name) else f'"{name}"'


# ---------------------------------------------------------------- the kinds of source


def supplied(source: str) -> Coverage:
    """The coverage of the user's own GIS files: every border, for the layers supplied.

    See the module docstring for the decision; layers not supplied are not counted.
    """
    return Coverage("files", source)


def within_area(
    region_set: RegionSet,
    area_wgs84: shapely.Geometry,
    *,
    kind: str,
    source: str,
    layers: Iterable[str],
    margin_m: float = 0.0,
    what: Bilingual | None = None,
) -> Coverage:
    """Coverage of the borders that lie inside an area: an extract's bounds, a fetch band.

    Parameters
    ----------
    region_set
        The regions and their border stretches.
    area_wgs84
        The area the data hold, WGS84 (lon, lat).
    kind
        ``"osm"`` or ``"package"`` (see :data:`KINDS`).
    source
        The source's name, for the notes.
    layers
        The layers the data hold (the area covers each of them alike).
    margin_m
        Only what is at least this far inside the area's edge counts as inside.
    what
        What the area is, for the notes (``"the extract x.osm.pbf"``).

    Returns
    -------
    Coverage
        Per pair of the region set and layer: covered when at least
        :data:`WHOLE_SHARE` of the border's length is inside, partly when some is (the
        note gives the share), not covered when none is. A land border is its shared
        stretches; a maritime pair's is the shortest line between the two regions.
        Pairs no stretch or polygon describes (revealed only by a link) are covered.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown coverage kind {kind!r}")
    area = gpd.GeoSeries([area_wgs84], crs=WGS84).to_crs(region_set.crs).iloc[0]
    if margin_m > 0:
        area = shapely.buffer(area, -margin_m)
    shapely.prepare(area)
    label = what or Bilingual(f"the data of {source}", f"{source} 的数据")
    layer_names = [name for name in layers if layer_spec(name).geometry == "line"]
    cells: dict[tuple[str, str, str], Cover] = {}
    stretches = _stretches_by_pair(region_set)
    for pair in region_set.pairs.itertuples(index=False):
        a, b = sorted((str(pair.a), str(pair.b)))
        border = stretches.get((a, b)) if str(pair.kind) == "land" else _gap(region_set, a, b)
        if border is None:
            continue
        cover = _share_cover(border, area, a, b, label)
        for layer in layer_names:
            cells[(a, b, layer)] = cover
    return Coverage(kind, source, cells)


def _stretches_by_pair(region_set: RegionSet) -> dict[tuple[str, str], list[shapely.Geometry]]:
    """The lines land pairs' links cross: each pair's shared stretches, in the set's order.

    Keyed by the pair's names sorted.
    """
    stretches = region_set.stretches
    by_pair: dict[tuple[str, str], list[shapely.Geometry]] = {}
    for a, b, line in zip(stretches["a"], stretches["b"], stretches.geometry.values):
        first, second = sorted((str(a), str(b)))
        by_pair.setdefault((first, second), []).append(line)
    return by_pair


def _gap(region_set: RegionSet, a: str, b: str) -> list[shapely.Geometry] | None:
    """The line a maritime pair's links cross: the shortest line between the two regions."""
    regions = region_set.regions.set_index("name").geometry
    if a not in regions.index or b not in regions.index:
        return None
    return [shapely.shortest_line(regions[a], regions[b])]


def _share_cover(
    lines: list[shapely.Geometry], area: shapely.Geometry, a: str, b: str, what: Bilingual
) -> Cover:
    """Covered, partly covered (with the share) or not, by how much of the border is inside.

    ``lines`` make the border; ``area`` is prepared. A border wholly inside is covered
    without measuring it (what is inside a polygon is its own intersection with it).
    """
    if shapely.contains(area, lines).all():
        return COVERED
    border = shapely.union_all(lines)
    length = float(border.length)
    if length == 0.0:
        inside = 1.0 if shapely.contains(area, border) else 0.0
    else:
        inside = float(shapely.intersection(border, area).length) / length
    if inside >= WHOLE_SHARE:
        return COVERED
    if inside <= 0.0:
        return Cover(
            False,
            reason=Bilingual(
                f"the {a}–{b} border lies outside {what.en}",
                f"{a}–{b} 边界不在{what.zh}范围内",
            ),
        )
    percent = max(1, min(99, round(inside * 100)))
    return Cover(
        True,
        partly=True,
        reason=Bilingual(
            f"only {percent}% of the {a}–{b} border lies inside {what.en}, so crossings on "
            "the rest are not counted",
            f"{a}–{b} 边界仅约{percent}%在{what.zh}范围内，其余部分的跨界连接未计入",
        ),
    )


# ---------------------------------------------------------- declared (embedded datasets)


def declared(declaration: Mapping[str, Any], *, source: str) -> Coverage:
    """The coverage an embedded dataset declares (its manifest's ``coverage``).

    Parameters
    ----------
    declaration
        ``{"default": COVER, "borders": [{"border": "A–B", "layers": {LAYER: COVER}}]}``,
        where a COVER is ``{"covered": bool (default true), "partly": bool, "since": year,
        "note": {"en", "zh"}, "since_note": {"en", "zh"}}``; ``note`` says why a border
        is not or only partly covered, ``since_note`` why only from ``since`` on. A border
        not listed takes ``default`` (not covered unless it says so); a layer not listed
        for a listed border is not covered.
    source
        The dataset's name, for the notes.

    Raises
    ------
    InvalidParameterError
        When the declaration is not of that shape; the message names the entry and the fix.
    """
    if not isinstance(declaration, Mapping):
        raise InvalidParameterError(
            Bilingual(
                f"The coverage declaration of {source} is not a mapping; write it as "
                "'default:' and 'borders:' (see geo/coverage.py).",
                f"{source} 的覆盖范围声明不是映射，请按 'default:' 和 'borders:' 的格式书写"
                "（见 geo/coverage.py）。",
            )
        )
    default = (
        _cover(declaration["default"], f"{source}: default")
        if "default" in declaration
        else Cover(False, reason=Bilingual(
            f"{source} declares no coverage of this border",
            f"{source} 未声明覆盖此边界",
        ))
    )  # fmt: skip
    cells: dict[tuple[str, str, str], Cover] = {}
    for entry in declaration.get("borders") or []:
        border = str(entry.get("border", "")) if isinstance(entry, Mapping) else ""
        first, dash, second = border.partition("–")
        if not dash or not first or not second or not isinstance(entry.get("layers"), Mapping):
            shown = repr(border or entry)
            raise InvalidParameterError(
                Bilingual(
                    f"A border in the coverage declaration of {source} is {shown}; "
                    "write it as 'border: A–B' (with an en dash) and give its 'layers:'.",
                    f"{source} 的覆盖范围声明中有一条边界写成了 {shown}，请写成 'border: A–B'"
                    "（中间用短破折号 –），并给出它的 'layers:'。",
                )
            )
        a, b = sorted((first, second))
        for layer, raw in entry["layers"].items():
            layer_spec(str(layer))
            key = (a, b, str(layer))
            if key in cells:
                raise InvalidParameterError(
                    Bilingual(
                        f"The coverage declaration of {source} lists {border} {layer} twice; "
                        "keep one.",
                        f"{source} 的覆盖范围声明把 {border} {layer} 列了两次，请只保留一条。",
                    )
                )
            cells[key] = _cover(raw, f"{source}: {border} {layer}")
    return Coverage("dataset", source, cells, default)


def _cover(raw: object, where: str) -> Cover:
    """One COVER of a declaration (see :func:`declared`)."""
    if not isinstance(raw, Mapping):
        raise InvalidParameterError(
            Bilingual(
                f"The coverage of {where} is {raw!r}; write it as a mapping such as "
                "'{covered: true}'.",
                f"{where} 的覆盖范围写成了 {raw!r}，请写成映射，例如 '{{covered: true}}'。",
            )
        )
    unknown = set(raw) - {"covered", "partly", "since", "note", "since_note"}
    if unknown:
        keys = ", ".join(sorted(unknown))
        raise InvalidParameterError(
            Bilingual(
                f"The coverage of {where} has unknown key(s) {keys}; use "
                "covered, partly, since, note and since_note.",
                f"{where} 的覆盖范围中有不认识的键 {keys}，"
                "可用的键为 covered、partly、since、note 和 since_note。",
            )
        )
    covered = bool(raw.get("covered", True))
    partly = bool(raw.get("partly", False))
    since = raw.get("since")
    if since is not None and not isinstance(since, int):
        raise InvalidParameterError(
            Bilingual(
                f"The coverage of {where} has since {since!r}; give a year such as 2006.",
                f"{where} 的覆盖范围中 since 为 {since!r}，请给出 2006 这样的年份。",
            )
        )
    note = _bilingual(raw.get("note"), where, "note")
    if (partly or not covered) and note is None:
        raise InvalidParameterError(
            Bilingual(
                f"The coverage of {where} is not whole but says not why; add a note with en "
                "and zh.",
                f"{where} 的覆盖并不完整，却没有说明原因，请添加含 en 和 zh 的 note。",
            )
        )
    return Cover(
        covered,
        partly=covered and partly,
        since=since,
        reason=note,
        since_reason=_bilingual(raw.get("since_note"), where, "since_note"),
    )


def _bilingual(raw: object, where: str, key: str) -> Bilingual | None:
    """A ``{"en", "zh"}`` mapping as :class:`Bilingual` (None when absent)."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not raw.get("en") or not raw.get("zh"):
        raise InvalidParameterError(
            Bilingual(
                f"The {key} of {where} must give both 'en' and 'zh' text (got {raw!r}).",
                f"{where} 的 {key} 必须同时给出 'en' 和 'zh' 文本（收到的是 {raw!r}）。",
            )
        )
    return Bilingual(str(raw["en"]), str(raw["zh"]))


__all__ = [
    "COVERED",
    "EDGE_MARGIN_M",
    "KINDS",
    "WHOLE_SHARE",
    "Cover",
    "Coverage",
    "declared",
    "fetch_command",
    "supplied",
    "within_area",
]
