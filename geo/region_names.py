"""A region named by any of its names: Chinese or English, with or without its suffix, any case.

A planner types ``浙江``, ``浙江省``, ``zhejiang`` or ``Zhejiang Province`` for the region
the data call ``Zhejiang`` (the embedded dataset, Natural Earth) or ``浙江省``
(OpenStreetMap). :class:`RegionNames` finds the one region meant, from each region's name
in the data and its other names (``name_zh``/``name_en`` columns of a boundaries file,
``name:zh``/``name:en`` tags of an OSM boundary relation).

What counts as the same name (:func:`normalise`, :func:`core`):

* Unicode NFKC (full-width letters and the ideographic space become ASCII), case folded,
  spaces at the ends dropped and runs of spaces inside made one;
* the suffix of an administrative unit may be left out, or added: ``省``, ``市``,
  ``自治区`` (with ``壮族``, ``回族`` or ``维吾尔`` before it) and ``特别行政区`` in
  Chinese; ``Province``, ``Municipality``, ``City``, ``Autonomous Region``,
  ``Special Administrative Region`` and ``SAR`` in English (a whole word after a space).
  What is left must be two characters or more, so ``市`` alone names nothing.

Pinyin suffixes (``Zhejiang Sheng``), abbreviations (``浙``, ``沪``) and traditional
characters (unless the data carry them as a name) are not read.

A name given exactly as the data spell it always wins; then a name equal once normalised;
then one equal once the suffixes are dropped. A name that fits two regions at the same
step (``吉林`` when the data hold ``吉林省`` and ``吉林市``) is refused, naming both
(:class:`geo.errors.AmbiguousRegionError`); one that fits none is refused, naming the
closest known names (:class:`geo.errors.UnknownRegionError`).

Names that cannot be a region (``partial``): an OpenStreetMap extract names regions it
holds only part of (Andorra's names ``Lleida``, ``España``, ``Foix``: their relations, of
which the file has only the ways along Andorra's border). Typed, such a name is found (the
reader then says why its boundary cannot be assembled), but an error never offers one as a
region to choose: it suggests and lists the regions that can be counted, and names the
others apart, as only partly in the data, with the fix (an extract that holds them whole).
A planner who typed a name the data lack wants to see what to type instead, not a name
that fails in turn.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from geo.errors import AmbiguousRegionError, UnknownRegionError
from geo.text import Bilingual

#: Chinese suffixes of administrative units, longest first.
ZH_SUFFIXES: tuple[str, ...] = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "省",
    "市",
)
#: English suffixes, each a whole word (or words) after a space; longest first.
EN_SUFFIXES: tuple[str, ...] = (
    "special administrative region",
    "autonomous region",
    "municipality",
    "province",
    "city",
    "sar",
)
#: A Chinese character: a name holding one is a Chinese name.
_CJK = re.compile(r"[\u3400-\u9fff]")

#: Known names listed in an error at most (an OSM extract may hold hundreds of counties).
LISTED_AT_MOST = 30
#: Names of regions only partly in the data shown in an error at most.
PARTIAL_AT_MOST = 5

_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """A name as compared: NFKC, case folded, spaces trimmed and collapsed.

    Examples
    --------
    >>> normalise("  Zhejiang   PROVINCE "), normalise("浙江省\u3000")
    ('zhejiang province', '浙江省')
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def core(text: str) -> str:
    """A name without its administrative suffix (see the module docstring), normalised.

    Examples
    --------
    >>> core("浙江省"), core("Zhejiang Province"), core("广西壮族自治区"), core("市")
    ('浙江', 'zhejiang', '广西', '市')
    """
    name = normalise(text)
    for suffix in ZH_SUFFIXES:
        rest = name.removesuffix(suffix).strip()
        if rest != name and len(rest) >= 2:
            return rest
    for suffix in EN_SUFFIXES:
        rest = name.removesuffix(" " + suffix).strip()
        if rest != name and len(rest) >= 2:
            return rest
    return name


@dataclass(frozen=True)
class RegionNames:
    """The regions of a source by every name they go by.

    Attributes
    ----------
    names
        ``{name in the data: other names}`` (the Chinese and English names, when known).
        Every region the source can report on is a key, those known only by name too.
    partial
        Names (keys of ``names``) of regions only partly in the data, which cannot be
        counted as a region: found when typed, but never suggested or listed as regions
        in an error (see the module docstring). Empty by default.
    """

    names: Mapping[str, tuple[str, ...]]
    partial: frozenset[str] = frozenset()
    _full: dict[str, set[str]] = field(init=False, repr=False, compare=False)
    _core: dict[str, set[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        full: dict[str, set[str]] = {}
        cores: dict[str, set[str]] = {}
        for canonical, others in self.names.items():
            for name in (canonical, *others):
                if name:
                    full.setdefault(normalise(name), set()).add(canonical)
                    cores.setdefault(core(name), set()).add(canonical)
        object.__setattr__(self, "_full", full)
        object.__setattr__(self, "_core", cores)

    @classmethod
    def of(
        cls,
        canonical: Iterable[str],
        others: Mapping[str, Iterable[object]] | None = None,
        *,
        partial: Iterable[str] = (),
    ) -> RegionNames:
        """The names of ``canonical`` regions, with ``others`` (blank or missing ones dropped).

        ``partial``: those of them only partly in the data (see :attr:`partial`).
        """
        others = others or {}
        return cls(
            {
                name: tuple(
                    dict.fromkeys(
                        str(o).strip()
                        for o in others.get(name, ())
                        if isinstance(o, str) and o.strip() and o.strip() != name
                    )
                )
                for name in dict.fromkeys(canonical)
            },
            frozenset(partial),
        )

    def label(self, canonical: str) -> str:
        """A region with its other names: ``"Zhejiang (浙江省)"``, or the name alone."""
        others = self.names.get(canonical, ())
        return f"{canonical} ({', '.join(others)})" if others else canonical

    def label_zh(self, canonical: str) -> str:
        """A region as Chinese sentences name it, Chinese name first: ``"浙江省（Zhejiang）"``."""
        others = self.names.get(canonical, ())
        zh = next((n for n in (canonical, *others) if _CJK.search(n)), canonical)
        rest = [n for n in (canonical, *others) if n != zh]
        return f"{zh}（{', '.join(rest)}）" if rest else zh

    def matches(self, text: str) -> tuple[str, ...]:
        """The regions ``text`` fits at the first step any fits (see the module docstring).

        One name for a name that resolves; two or more for an ambiguous one; none for an
        unknown one.
        """
        if text in self.names:
            return (text,)
        for index, key in ((self._full, normalise(text)), (self._core, core(text))):
            found = index.get(key, set())
            if found:
                return tuple(sorted(found))
        return ()

    def closest(self, text: str, *, n: int = 3, partial: bool = False) -> list[str]:
        """At most ``n`` regions whose names are close to ``text`` (a misspelt name).

        Regions that can be counted, or (``partial``) those only partly in the data.
        """
        keys = {**{k: v for k, v in self._core.items()}, **self._full}
        keys = {k: {c for c in v if (c in self.partial) == partial} for k, v in keys.items()}
        keys = {k: v for k, v in keys.items() if v}
        close = difflib.get_close_matches(core(text), list(keys), n=6, cutoff=0.6)
        close += difflib.get_close_matches(normalise(text), list(keys), n=6, cutoff=0.6)
        return list(dict.fromkeys(n for key in close for n in sorted(keys[key])))[:n]

    def resolve(self, text: str) -> str:
        """The name in the data of the region ``text`` names (see the module docstring).

        Raises
        ------
        AmbiguousRegionError
            When ``text`` fits more than one region; the message names them.
        UnknownRegionError
            When it fits none; the message names the closest known names.
        """
        found = self.matches(text)
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(self.label(n) for n in found)
            listed_zh = "、".join(self.label_zh(n) for n in found)
            raise AmbiguousRegionError(
                Bilingual(
                    f"{text!r} names more than one region in this data ({listed}); give "
                    "the full name of the one you mean.",
                    f"{text!r} 在这份数据中对应不止一个地区（{listed_zh}），"
                    "请给出所指地区的全称。",
                )
            )
        raise UnknownRegionError(self._unknown(text))

    def _unknown(self, text: str) -> Bilingual:
        """The sentence for a name that fits no region: the closest names, else some known.

        Only regions that can be counted are suggested or listed; those only partly in the
        data (:attr:`partial`) are named apart, as such, with the fix.
        """
        near = self.closest(text)
        if near:
            labels = [self.label(n) for n in near]
            labels_zh = [self.label_zh(n) for n in near]
            return Bilingual(
                f"No region called {text!r} in this data; did you mean {' or '.join(labels)}?",
                f"这份数据中没有名为 {text!r} 的地区，您要找的是不是{'或'.join(labels_zh)}？",
            )
        known = sorted(set(self.names) - self.partial)
        listed = ", ".join(self.label(n) for n in known[:LISTED_AT_MOST])
        listed_zh = "、".join(self.label_zh(n) for n in known[:LISTED_AT_MOST])
        extra = len(known) - LISTED_AT_MOST
        more = f" and {extra} more" if extra > 0 else ""
        more_zh = f"等 {len(known)} 个" if extra > 0 else ""
        if not self.partial:
            return Bilingual(
                f"No region called {text!r} in this data; known regions: "
                f"{listed or 'none'}{more}.",
                f"这份数据中没有名为 {text!r} 的地区；数据中的地区有："
                f"{listed_zh or '无'}{more_zh}。",
            )
        close = self.closest(text, partial=True)
        if close:  # the region meant, most likely, but the data hold only part of it
            it = " or ".join(self.label(n) for n in close)
            it_zh = "或".join(self.label_zh(n) for n in close)
            return Bilingual(
                f"No region called {text!r} can be counted in this data: {it} "
                f"{'is' if len(close) == 1 else 'are'} only partly in it (use data that hold "
                f"the whole boundary); regions that can be counted: {listed or 'none'}{more}.",
                f"这份数据中没有可统计的名为 {text!r} 的地区：{it_zh}在数据中只有部分边界"
                f"（请使用含完整边界的数据）；可统计的地区有：{listed_zh or '无'}{more_zh}。",
            )
        partial = sorted(self.partial)
        cut = len(partial) > PARTIAL_AT_MOST
        shown = ", ".join(partial[:PARTIAL_AT_MOST]) + (", ..." if cut else "")
        shown_zh = "、".join(partial[:PARTIAL_AT_MOST]) + ("等" if cut else "")
        return Bilingual(
            f"No region called {text!r} in this data; regions that can be counted: "
            f"{listed or 'none'}{more} ({len(partial)} other region(s) named in it, such as "
            f"{shown}, are only partly in it and cannot be counted).",
            f"这份数据中没有名为 {text!r} 的地区；可统计的地区有：{listed_zh or '无'}{more_zh}"
            f"（数据中另有 {len(partial)} 个地区只有部分边界，如 {shown_zh}，无法统计）。",
        )


__all__ = ["EN_SUFFIXES", "ZH_SUFFIXES", "RegionNames", "core", "normalise"]
