"""Named, documented parameters of the crossing rules.

All distances are metres, measured in the metric projection chosen for the data
(:func:`geo.projection.metric_crs_for`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from geo.errors import InvalidParameterError
from geo.text import Bilingual


@dataclass(frozen=True)
class CrossingRules:
    """Parameters of :func:`geo.crossings.find_crossings`.

    Attributes
    ----------
    noise_m
        A piece of a line on one side of a border that never gets farther than this from
        the border is noise (digitising jitter, a line ending a metre past the border, a
        border drawn down the middle of a street) and is absorbed by its neighbours. A line
        that only touches the border, or dead-ends on it, therefore never yields a
        transition.
    join_tolerance_m
        Two line ends closer than this, both at a border (within ``join_tolerance_m`` of
        it) and on different sides, are one line split at the border: they yield one
        transition. OpenStreetMap ways split at the border share a node, so 1 m is plenty.
    along_band_m
        Half-width of the band around a land border inside which a line counts as running
        *along* the border (a river forming the border, a road on the border line).
    along_min_length_m
        A stretch inside the band must be at least this long to be "along". Inside an
        along stretch side changes are ignored; the stretch counts as one crossing only if
        the line leaves it on the other side from where it entered.
    carriageway_pair_m
        Transitions of two one-way features of the same route key, in opposite directions,
        within this distance are the two carriageways of one divided road: one interface.
        This applies also to unnamed features (route key = class).
    cluster_distance_m
        Transitions of the same named route (a shared ref, else the same name) between the
        same two regions within this distance are one interface (wide divided roads,
        interchanges, a line wandering back and forth over the border).
    maritime_gap_m
        Two regions that share no land border but whose boundaries come within this
        distance of each other face each other across water: a maritime pair.
    clip_warning_m
        A main-class line (see ``LayerSpec.main_classes``) whose loose end stops within
        this distance of a land border without crossing it is reported as probably
        clipped by the extract; 0 switches the check off.
    search_band_m
        Only lines within this distance of a region boundary are examined closely; it is
        at least the largest of the distances above that act at a border.
    """

    noise_m: float = 5.0
    join_tolerance_m: float = 1.0
    along_band_m: float = 60.0
    along_min_length_m: float = 500.0
    carriageway_pair_m: float = 150.0
    cluster_distance_m: float = 2000.0
    maritime_gap_m: float = 30000.0
    clip_warning_m: float = 1000.0

    def __post_init__(self) -> None:
        """Check that every distance is a finite, non-negative number."""
        for field in fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, (int, float)) or not value >= 0 or value == float("inf"):
                raise InvalidParameterError(
                    Bilingual(
                        f"Crossing rule {field.name}={value!r} is not a distance in metres; "
                        "give a finite number >= 0.",
                        f"跨界判定规则 {field.name}={value!r} 不是以米计的距离，"
                        "请给出不小于 0 的有限数值。",
                    )
                )

    @property
    def search_band_m(self) -> float:
        """Distance from a boundary within which lines are examined closely."""
        return max(self.noise_m, self.join_tolerance_m, self.along_band_m) + 1.0

    @property
    def reach_m(self) -> float:
        """Farthest distance from a region boundary at which a line changes a count or warning.

        A line farther inside one region than this yields no transition, stub, along stretch
        or clipped-line warning (:attr:`search_band_m`, :attr:`clip_warning_m`), so a reader
        may leave it out (:class:`geo.io.osm_near_borders.NearBorders`); 500 m are added for the
        approximations of that test (bounding boxes, reprojection).
        """
        return max(self.search_band_m, self.clip_warning_m) + 500.0

    def as_dict(self) -> dict[str, float]:
        """Return the parameters as a plain dict (for reports and manifests)."""
        return asdict(self)
