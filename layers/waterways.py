"""Inland waterways: rivers and canals, with their navigation class.

Classes: ``canal``, ``river`` and ``stream`` (``stream`` is kept so that small rivers
crossing a border are seen, and is reported separately).

Two navigation scales are read and never converted into each other, since their classes
are defined by different vessels and their orders run opposite ways:

* China's ``NSIW`` (grades I-VII, **1 is the best**; "high-grade" means grade IV or
  better): the grade, as a number 1-7, is the layer's ``capacity``, so an interface's
  capacity and the pair totals are the *best* (smallest) grade that crosses
  (``capacity_total="min"``). ``nsiw_grade`` keeps it as a Roman numeral and
  ``high_grade`` says whether it is IV or better.
* Europe's ``CEMT`` (0, I, II, III, IV, Va, Vb, VIa, VIb, VIc, VII; **bigger is better**;
  0 is the unofficial recreational class): kept as ``cemt_class`` (normalised spelling, e.g.
  ``"Va"``) and ``cemt_rank`` (its position in that list, 0-10, for sorting), but *not* put
  into ``capacity``: a minimum over CEMT classes would pick the worst waterway, and mixing
  the two scales would compare unlike things. A waterway with only a CEMT class has
  ``capacity`` None with the note ``"CEMT class only"``.

``waterway_class`` keeps the value as written (``NSIW`` first, then ``CEMT``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from layers.base import LayerSpec, Style, Tags

_CLASSES = {"river": "river", "canal": "canal", "stream": "stream"}
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7}
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
#: NSIW grades at least this good (numerically at most) are "high-grade".
HIGH_GRADE = 4
#: CEMT classes, worst to best.
CEMT_CLASSES: tuple[str, ...] = (
    "0", "I", "II", "III", "IV", "Va", "Vb", "VIa", "VIb", "VIc", "VII",
)
_CEMT = {c.upper(): c for c in CEMT_CLASSES}


def classify(value: str) -> str | None:
    """Class of a waterway from its ``waterway`` value (ditches and drains excluded)."""
    return _CLASSES.get(value)


def nsiw_grade(raw: str | None) -> int | None:
    """China's navigation grade 1-7 from an ``NSIW`` value, None when it is none.

    Read: a Roman numeral in any case, in ASCII or Unicode (``"IV"``, ``"iv"``, ``"Ⅳ"``),
    a digit (``"4"``, ``"４"``) or a Chinese digit (``"四"``), each with or without ``级`` after it
    (``"IV级"``, ``"Ⅳ级"``, ``"4级"``, ``"四级"``), as Chinese plans write grades.

    Examples
    --------
    >>> [nsiw_grade(v) for v in ("IV", "iv", "Ⅳ级", "4", "四级", " III 级 ", "VIII", "Va")]
    [4, 4, 4, 4, 4, 3, None, None]
    """
    # NFKC: "Ⅳ" is "IV", a full-width "４" is "4".
    text = unicodedata.normalize("NFKC", raw or "").strip().removesuffix("级").strip().upper()
    if text in _ROMAN:
        return _ROMAN[text]
    if text in _CHINESE_DIGITS:
        return _CHINESE_DIGITS[text]
    if text.isascii() and text.isdigit() and 1 <= int(text) <= len(_ROMAN):
        return int(text)
    return None


def cemt_class(raw: str | None) -> str | None:
    """Europe's CEMT class in its usual spelling (``"va"`` gives ``"Va"``), None if invalid."""
    return _CEMT.get((raw or "").strip().replace(" ", "").upper())


def navigation_grade(tags: Tags, oneway: int) -> tuple[int | None, str]:
    """China's navigation grade (1-7) from ``NSIW``, flagged when absent or unreadable."""
    raw = tags.get("NSIW", "").strip()
    if not raw:
        return None, "CEMT class only" if tags.get("CEMT") else "missing"
    grade = nsiw_grade(raw)
    if grade is None:
        return None, f"unparsed value {raw!r}"
    return grade, ""


def extra(tags: Tags) -> dict[str, Any]:
    """Both scales, each in its own columns (see the module docstring)."""
    grade = nsiw_grade(tags.get("NSIW"))
    cemt = cemt_class(tags.get("CEMT"))
    return {
        "waterway_class": tags.get("NSIW") or tags.get("CEMT") or "",
        "nsiw_grade": next((k for k, v in _ROMAN.items() if v == grade), ""),
        "high_grade": grade is not None and grade <= HIGH_GRADE,
        "cemt_class": cemt or "",
        "cemt_rank": CEMT_CLASSES.index(cemt) if cemt else None,
    }


def style(attrs: Mapping[str, Any]) -> Style:
    """Blue lines, heavier for canals and graded waterways."""
    grade = attrs.get("capacity")
    weight = 2.0 if attrs.get("class") == "stream" else 3.0
    if grade:
        weight += max(0, 5 - int(grade))
    return Style(color="#2874a6", weight=weight)


LAYER = LayerSpec(
    name="waterways",
    label="Inland waterways",
    geometry="line",
    main_key="waterway",
    osm_tags={
        "waterway": ["river", "canal", "stream", "construction", "proposed"],
        "construction:waterway": True,
    },
    classify=classify,
    capacity=navigation_grade,
    capacity_unit="navigation grade",
    style=style,
    capacity_total="min",
    main_classes=("river", "canal"),
    classes=("river", "canal", "stream"),
    extra=extra,
    rule_keys=("NSIW", "CEMT"),
)
