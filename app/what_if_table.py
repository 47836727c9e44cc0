"""The what-if view's closures as the page shows them, and its two downloads.

:func:`app.what_if_view.results` gives one :class:`geo.resilience.ResilienceResult` per
layer of the border in focus: each interface closed alone, and the set the user closed
(together, one row per layer it touches). Here they become the page's table, in the page's
language (:func:`app.language.current`): route number, name, the pairs of places slowed and
cut off (counts of origin–destination pairs: the Yangshan port weighs nothing in the
population-weighted share but its pair is cut off when the Donghai Bridge closes), the
population-weighted share of the trips using it, added minutes (mean, max), added km (max),
where the moved trips cross now (every interface of their new routes: the shares may sum
past 100%, as the column's help says, :func:`helps`), critical. A row's added minutes never
stand beside 0 pairs slowed (:mod:`geo.resilience`: a trip uses every interface its route
crosses). The frame keeps ``id`` and ``closed_now`` (the user's set) under their machine
names; the page shows the rest under :func:`headers`. Nothing here imports streamlit.
"""

from __future__ import annotations

import io
import json
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from app.labels import say
from app.language import current
from geo.io.resilience_report import to_geojson_dict
from geo.resilience import ResilienceResult
from geo.values import is_missing

#: The columns shown, in order (headers: :data:`_HEADERS`).
SHOWN_COLUMNS: tuple[str, ...] = (
    "scenario", "ref", "critical_text", "slower", "disconnected", "share", "added_min_mean",
    "added_min_max", "added_km_max", "moves_to", "route", "layer_text",
)  # fmt: skip

_HEADERS: dict[str, str] = {
    "scenario": "wi_c_scenario", "layer_text": "c_layer", "ref": "c_ref", "route": "c_route",
    "share": "wi_c_share", "added_min_mean": "wi_c_min_mean", "added_min_max": "wi_c_min_max",
    "added_km_max": "wi_c_km_max", "slower": "wi_c_slower", "disconnected": "wi_c_disconnected",
    "moves_to": "wi_c_moves_to", "critical_text": "wi_c_critical",
}  # fmt: skip

#: Help shown on a column's header, by column.
_HELPS: dict[str, str] = {"moves_to": "wi_c_moves_to_help"}

#: Streamlit's data grid draws its text at 14 px; a CJK character is 1 em wide, any other
#: at most :data:`LATIN_EM` (an upper bound for its sans-serif, so that a column sized from
#: the estimate never cuts its words), and a cell adds :data:`CELL_PAD_PX` of padding
#: (with the header's sort and menu space).
GRID_FONT_PX = 14.0
LATIN_EM = 0.62
CELL_PAD_PX = 32

#: Separator of the ids of a set closed together (as :func:`geo.resilience.resilience` joins them).
SET_SEP = ","


def set_key(ids: Sequence[str]) -> str:
    """The id of a set closed together, as the engine names its closure."""
    return SET_SEP.join(ids)


def headers() -> dict[str, str]:
    """``{column: its header in the page's language}`` of :data:`SHOWN_COLUMNS`."""
    return {c: say(_HEADERS[c]) for c in SHOWN_COLUMNS}


def helps() -> dict[str, str]:
    """``{column: its help in the page's language}`` of the columns that have one.

    "Moves to" says its shares may sum past 100% (:mod:`geo.resilience`: a moved trip counts
    in every interface its new route crosses).
    """
    return {c: say(key) for c, key in _HELPS.items()}


def column_width(texts: Iterable[object]) -> int:
    """A grid column's width (px) that shows the longest of ``texts`` whole.

    The grid sizes a column to a sample of its cells: the scenario column's first row,
    "closed together", was cut to the width of the "alone" rows below it.

    Examples
    --------
    >>> column_width(["alone", "closed together"]), column_width(["单独关闭", "同时关闭"])
    (163, 88)
    """
    ems = [
        sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else LATIN_EM for ch in str(t))
        for t in texts
    ]
    return math.ceil(max(ems, default=0.0) * GRID_FONT_PX) + CELL_PAD_PX


def _refs(ident: str, refs: Mapping[str, str]) -> str:
    return " + ".join(refs.get(p, p.rsplit(":", 1)[-1]) or "?" for p in ident.split(SET_SEP))


def _moves(moves: object, refs: Mapping[str, str]) -> str:
    """``{id: share}`` as ``G60 100%``, the largest first; other crossings and ways round named."""
    if not isinstance(moves, Mapping) or not moves:
        return ""
    parts = []
    for ident, share in sorted(moves.items(), key=lambda kv: -float(kv[1])):
        if ident == "other":
            where = say("wi_other_crossing")
        elif ident == "-":
            where = say("wi_way_round")
        else:
            where = _refs(str(ident), refs)
        parts.append(f"{where} {float(share):.0%}")
    return ("、" if current() == "zh" else ", ").join(parts)


def closures_table(
    singles: Sequence[ResilienceResult],
    together: Sequence[ResilienceResult],
    *,
    refs: Mapping[str, str],
    routes: Mapping[str, str],
    layer_words: Mapping[str, str],
) -> pd.DataFrame:
    """One row per closure: the user's set first (one row per layer), then each interface alone.

    Parameters
    ----------
    singles
        The border's results with each interface closed alone (:func:`app.what_if_view.results`).
    together
        The results of the set the user closed (empty when none is).
    refs, routes
        ``{interface id: route number}`` and ``{interface id: name in the page's language}``.
    layer_words
        ``{layer: its name in the page's language}``.
    """
    rows: list[dict[str, Any]] = []
    for closed_now, results in ((True, together), (False, singles)):
        for result in results:
            for row in result.interfaces.to_dict("records"):
                ident = str(row["id"])
                parts = ident.split(SET_SEP)
                critical = bool(row["critical"])
                rows.append(
                    {
                        "id": ident,
                        "layer": result.layer,
                        "closed_now": closed_now,
                        "scenario": say("wi_closed_now") if closed_now else say("wi_alone"),
                        "layer_text": layer_words.get(result.layer, result.layer),
                        "ref": _refs(ident, refs),
                        "route": " + ".join(routes.get(p, "") for p in parts),
                        "share": round(100 * float(row["base_share"]), 1),
                        "added_min_mean": _round(row["added_min_mean"]),
                        "added_min_max": _round(row["added_min_max"]),
                        "added_km_max": _round(row["added_km_max"]),
                        "slower": int(row["pairs_slower"]),
                        "disconnected": int(row["disconnected_pairs"]),
                        "moves_to": _moves(row["moves_to"], refs),
                        "critical": critical,
                        "critical_text": say("wi_yes") if critical else "",
                    }
                )
    return pd.DataFrame(rows, columns=["id", "layer", "closed_now", *SHOWN_COLUMNS, "critical"])


def _round(value: object) -> float | None:
    return None if is_missing(value) else round(float(value), 1)  # type: ignore[arg-type]


def closures_csv(table: pd.DataFrame) -> bytes:
    """The table as shown (headers in the page's language), CSV in UTF-8 with a byte order mark."""
    shown = table[list(SHOWN_COLUMNS)].rename(columns=headers())
    buffer = io.StringIO()
    shown.to_csv(buffer, index=False)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def routes_geojson(results: Sequence[ResilienceResult], *, attribution: str) -> bytes:
    """The detour routes of every closure shown, as GeoJSON (WGS84).

    :func:`geo.io.resilience_report.to_geojson_dict`, as the command line writes them.
    """
    data = to_geojson_dict(results, attribution=attribution)
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
