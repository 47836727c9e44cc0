"""The figures a document gives of cities: ``python -m geo cities yrd``.

An embedded dataset may carry ``cities.csv`` (``scripts/build_sites.py``): one row per city
and figure of the document (the 2006 Zhejiang report's investment brought in through
cooperation, farm produce supplied to Shanghai, projects with Shanghai's universities),
each with the document's Chinese words and an English translation. The same figures are
the ``cities`` layer's points (:mod:`layers.cities`) on the map and in the exports; this
module reads and prints them for the command line, as a table, CSV or JSON.
"""

from __future__ import annotations

import json

import pandas as pd

from geo.errors import InputFileError
from geo.io import datasets
from geo.io.export import BOM
from geo.text import Bilingual

#: Columns printed, in order (those of ``cities.csv``, the place id left out).
CITY_FIGURE_COLUMNS = [
    "id", "city_zh", "city_en", "measure", "value", "unit", "qualifier", "period",
    "period_zh", "quote_zh", "quote_en", "source",
]  # fmt: skip

#: How a measure reads in the table (English: the command line's language).
MEASURE_WORDS = {
    "projects": "projects brought in",
    "agreed_yuan": "investment agreed",
    "realised_yuan": "investment in place",
    "farm_supply_yuan": "farm produce supplied to Shanghai",
    "farm_supply_share": "share of the city's farm output",
    "university_projects": "projects with Shanghai universities",
    "university_benefit_yuan": "their direct benefit",
}


def city_figures(source: str) -> pd.DataFrame:
    """The city figures of embedded dataset ``source`` (:data:`CITY_FIGURE_COLUMNS`).

    Raises
    ------
    InputFileError
        When ``source`` is not an embedded dataset, or one without city figures.
    """
    folder = datasets.dataset_dir(source)
    if folder is None:
        known = ", ".join(datasets.available()) or "none"
        raise InputFileError(
            Bilingual(
                f"{source!r} is not an embedded dataset (embedded datasets: {known}); city "
                "figures come only with one.",
                f"{source!r} 不是内置数据集（内置数据集：{known}）；城市数字只随内置数据集提供。",
            )
        )
    path = folder / "cities.csv"
    if not path.is_file():
        raise InputFileError(
            Bilingual(
                f"The dataset {source!r} gives no city figures (no cities.csv).",
                f"数据集 {source!r} 没有城市数字（缺少 cities.csv）。",
            )
        )
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["value"] = pd.to_numeric(frame["value"])
    return frame[CITY_FIGURE_COLUMNS]


def value_text(value: float, unit: str, qualifier: str) -> str:
    """A figure in words: ``14.27 bn yuan``, ``675 projects``, ``about 37 %``.

    Examples
    --------
    >>> value_text(14_270_000_000, "yuan", ""), value_text(160, "projects", "more than")
    ('14.27 bn yuan', 'more than 160 projects')
    """
    if unit == "yuan":
        text = f"{value / 1e9:,.2f}".rstrip("0").rstrip(".") + " bn yuan"
    elif unit == "percent":
        text = f"{value:g} %"
    else:
        text = f"{value:,.0f} {unit}"
    return f"{qualifier} {text}" if qualifier else text


def render_city_figures(frame: pd.DataFrame, fmt: str, *, source: str) -> str:
    """The figures as ``table`` (aligned text with the quotes), ``csv`` or ``json``.

    The CSV starts with a byte order mark, as every CSV Jiegui writes
    (:data:`geo.io.export.BOM`): without it Excel reads the Chinese quotes as another code page.
    """
    if fmt == "csv":
        return BOM + str(frame.to_csv(index=False, lineterminator="\n"))
    if fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        out = {"source": source, "figures": records}
        return json.dumps(out, ensure_ascii=False, indent=1) + "\n"
    lines = [
        f"The report's figures of cities in {source} ({len(frame)} figures, "
        f"{frame['city_en'].nunique()} cities), each quoting the report:"
    ]
    for row in frame.to_dict("records"):
        what = MEASURE_WORDS.get(row["measure"], row["measure"])
        value = value_text(float(row["value"]), row["unit"], row["qualifier"])
        lines.append(
            f"  {row['city_en']:<9} {row['city_zh']:<3} {what:<36} {value:<22} "
            f"{row['period']}"
        )
        lines.append(f"      「{row['quote_zh']}」 “{row['quote_en']}”")
    sources = " | ".join(dict.fromkeys(frame["source"]))
    lines.append(f"\nSource: {sources}.")
    return "\n".join(lines) + "\n"

