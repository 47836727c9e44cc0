"""Counting bases: which statuses a figure counts, by name, with its label and caption.

How many links cross a border depends on which links count. A figure is only readable
with its basis beside it, so the bases are named once, here:

* ``open``: open; "open" / "已通车";
* ``open+construction``: open, construction; "open + under construction" / "已通车及在建";
* ``planned``: open, construction, proposed; "open, under construction + planned" /
  "含规划".

Statuses are those of :data:`layers.STATUSES`, read in the year counted
(:mod:`geo.lifecycle`). A list of statuses that is no named basis (``--status
open,disused``) is still captioned, by its statuses (:func:`statuses_label`).

:func:`caption` gives the text written beside every figure: ``"as of 2006, open + under
construction"`` / ``"2006年，已通车及在建"``.

The basis a document counts in is data, not code: each documented figure says it
(``documented.csv``, column ``basis``), and :func:`geo.reconcile.documented_basis` returns
it, so that a page can offer "count as the report does" (the Zhejiang 2006 report counts
links "connected", open or under construction: ``open+construction``).

Default: ``open`` (:data:`DEFAULT_BASIS`), as ``--status`` defaulted to before bases were
named. Decision: a count of links *across* a border, shown on a map of the network, is read
as a count of what carries traffic; counting construction sites or plans is a claim about
the future that the reader must ask for and see captioned. The report's basis is one
choice away (``--basis open+construction``, or :func:`geo.reconcile.documented_basis`), and
the comparison with the report always counts in the report's own basis, whatever the
basis of the rest of the output.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from geo.errors import InvalidParameterError
from geo.text import Bilingual
from layers import STATUSES


@dataclass(frozen=True)
class Basis:
    """A named set of statuses that figures are counted in.

    Attributes
    ----------
    name
        ``"open"``, ``"open+construction"`` or ``"planned"`` (the CLI's ``--basis``).
    statuses
        The statuses counted, in the order of :data:`layers.STATUSES`.
    label
        Short label: ``open + under construction`` / ``已通车及在建``.
    phrase
        The same for a sentence about links: ``links open or under construction`` /
        ``已通车或在建的连接``.
    """

    name: str
    statuses: tuple[str, ...]
    label: Bilingual
    phrase: Bilingual

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: name, statuses, label (en, zh)."""
        return {
            "name": self.name,
            "statuses": list(self.statuses),
            "label": self.label.as_dict(),
        }


#: Each status's label, for captions of a list of statuses that is no named basis.
STATUS_LABELS: dict[str, Bilingual] = {
    "open": Bilingual("open", "已通车"),
    "construction": Bilingual("under construction", "在建"),
    "proposed": Bilingual("planned", "规划"),
    "cancelled": Bilingual("cancelled", "已取消"),
    "disused": Bilingual("disused", "停用"),
    "abandoned": Bilingual("abandoned", "废弃"),
}

#: The named bases, narrowest first.
BASES: dict[str, Basis] = {
    basis.name: basis
    for basis in (
        Basis(
            "open",
            ("open",),
            Bilingual("open", "已通车"),
            Bilingual("links open", "已通车的连接"),
        ),
        Basis(
            "open+construction",
            ("open", "construction"),
            Bilingual("open + under construction", "已通车及在建"),
            Bilingual("links open or under construction", "已通车或在建的连接"),
        ),
        Basis(
            "planned",
            ("open", "construction", "proposed"),
            Bilingual("open, under construction + planned", "含规划"),
            Bilingual(
                "links open, under construction or planned", "已通车、在建或规划的连接"
            ),
        ),
    )
}

#: The basis counted when none is asked for (see the module docstring for why).
DEFAULT_BASIS = "open"


def get_basis(name: str) -> Basis:
    """The basis called ``name``.

    Raises
    ------
    InvalidParameterError
        When there is no such basis; the message lists the names.
    """
    try:
        return BASES[name]
    except KeyError:
        known = ", ".join(BASES)
        raise InvalidParameterError(
            Bilingual(
                f"Unknown counting basis {name!r}; choose from {known}.",
                f"没有 {name!r} 这种统计口径，请从以下口径中选择：{known}。",
            )
        ) from None


def basis_for(statuses: Iterable[str]) -> Basis | None:
    """The named basis counting exactly these statuses (in any order), else None.

    Examples
    --------
    >>> basis_for(["construction", "open"]).name
    'open+construction'
    >>> basis_for(["open", "disused"]) is None
    True
    """
    wanted = set(statuses)
    return next((b for b in BASES.values() if set(b.statuses) == wanted), None)


def ordered_statuses(statuses: Iterable[str]) -> tuple[str, ...]:
    """The statuses without repeats, in the order of :data:`layers.STATUSES` (others last)."""
    unique = dict.fromkeys(statuses)
    known = [s for s in STATUSES if s in unique]
    return (*known, *(s for s in unique if s not in STATUSES))


def statuses_label(statuses: Iterable[str]) -> Bilingual:
    """The label of a list of statuses: its basis's label, else the statuses listed.

    Examples
    --------
    >>> statuses_label(["open", "construction"]).en
    'open + under construction'
    >>> statuses_label(["open", "disused"])
    Bilingual(en='statuses open, disused', zh='状态：已通车、停用')
    """
    ordered = ordered_statuses(statuses)
    basis = basis_for(ordered)
    if basis is not None:
        return basis.label
    labels = [STATUS_LABELS.get(s, Bilingual(s, s)) for s in ordered]
    return Bilingual(
        "statuses " + ", ".join(label.en for label in labels),
        "状态：" + "、".join(label.zh for label in labels),
    )


def caption(statuses: Basis | Iterable[str], as_of: int | None) -> Bilingual:
    """The caption written beside every figure: the year and the basis it is counted in.

    Parameters
    ----------
    statuses
        A basis, or the statuses counted.
    as_of
        The year counted; None for the network as the data describe it (its own date).

    Examples
    --------
    >>> caption(BASES["open+construction"], 2006)
    Bilingual(en='as of 2006, open + under construction', zh='2006年，已通车及在建')
    >>> caption(["open"], None).en
    'as the data stand, open'
    """
    chosen = statuses.statuses if isinstance(statuses, Basis) else tuple(statuses)
    label = statuses_label(chosen)
    if as_of is None:
        return Bilingual(f"as the data stand, {label.en}", f"数据现状，{label.zh}")
    return Bilingual(f"as of {as_of}, {label.en}", f"{as_of}年，{label.zh}")


def basis_record(statuses: Iterable[str], as_of: int | None) -> dict[str, object]:
    """The basis of a run as the JSON output states it.

    ``name`` (None when the statuses are no named basis), ``statuses``, ``label`` and
    ``caption`` (each ``{"en", "zh"}``), and ``as_of``.
    """
    ordered = ordered_statuses(statuses)
    basis = basis_for(ordered)
    return {
        "name": basis.name if basis else None,
        "statuses": list(ordered),
        "label": statuses_label(ordered).as_dict(),
        "caption": caption(ordered, as_of).as_dict(),
        "as_of": as_of,
    }


__all__ = [
    "BASES",
    "DEFAULT_BASIS",
    "STATUS_LABELS",
    "Basis",
    "basis_for",
    "basis_record",
    "caption",
    "get_basis",
    "ordered_statuses",
    "statuses_label",
]
