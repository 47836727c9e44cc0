"""Pictures of the routed expressways, one per border, to look at.

Run ``python scripts/plot_highway_routes.py [OUT_DIR]`` (default ``artifacts/``; needs
matplotlib).

Each picture shows the road graph (grey), the provinces' borders (black), the built
highways of that border (red, labelled by ref) and their waypoints (blue dots), so a route
that leaves its expressway for a parallel road can be seen and fixed with a waypoint.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import shapely


def _build_data() -> Any:
    """``scripts/build_data.py`` beside this script, loaded by its path."""
    spec = importlib.util.spec_from_file_location(
        "build_data", Path(__file__).resolve().parent / "build_data.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_data = _build_data()
DATA, _places, _point, load_links = (
    build_data.DATA, build_data._places, build_data._point, build_data.load_links
)
RoadGraph = build_data.road_graph.RoadGraph


def main(out: Path) -> None:
    """Write ``routes_<border>.png`` for every border a highway crosses."""
    out.mkdir(parents=True, exist_ok=True)
    graph = RoadGraph()
    regions = gpd.read_file(DATA / "regions.geojson")
    highways = gpd.read_file(DATA / "highways.geojson")
    places = _places()
    links = {f"yrd:{x['id']}": x for x in load_links() if x["layer"] == "highways"}
    borders = sorted({b.strip() for v in highways["border"] for b in str(v).split(";")})
    for border in borders:
        chosen = highways[highways["border"].str.contains(border, regex=False)]
        if chosen.empty or border == "none":
            continue
        x0, y0, x1, y1 = chosen.total_bounds
        pad = 0.05
        x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
        box = shapely.box(x0, y0, x1, y1)
        edges = [
            shapely.LineString([graph.nodes[i], graph.nodes[j]])
            for i, d in enumerate(graph.graph)
            for j in d
            if i < j and (box.contains(shapely.Point(graph.nodes[i])))
        ]
        fig, ax = plt.subplots(figsize=(14, 14 * (y1 - y0) / max(x1 - x0, 0.01) + 1))
        gpd.GeoSeries(edges, crs=4326).plot(ax=ax, color="0.7", lw=0.5)
        regions.boundary.plot(ax=ax, color="k", lw=1.2)
        chosen.plot(ax=ax, color="red", lw=1.6)
        for row in chosen.itertuples():
            # A `site:` place (the Donghai Bridge's end at the port) is copied by the build
            # from links/ports.yaml; the drawn line already ends there.
            pts = [_point(p, places, row.id) for p in links[row.id]["places"] if "site" not in p]
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "o", color="tab:blue", ms=3)
            mid = row.geometry.interpolate(0.5, normalized=True)
            ax.annotate(row.ref or row.id.split(":")[-1], (mid.x, mid.y), color="darkred",
                        fontsize=9)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_title(f"{border}: highways routed on the road graph")
        name = border.replace("–", "-").replace(" ", "_").replace("(", "").replace(")", "")
        fig.savefig(out / f"routes_{name}.png", dpi=110)
        plt.close(fig)
        print(out / f"routes_{name}.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("artifacts"))
