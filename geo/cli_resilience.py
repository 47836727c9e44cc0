"""``python -m geo resilience``: what if an interface closes (see :mod:`geo.resilience`).

The network routed on is, for an embedded dataset that ships one, its ``network/`` graph
(:mod:`geo.io.network_data`, the source's own lines joined to it by connectors); for a
package fetched with ``--network-km``, its main roads and railways of the wider band
(:func:`geo.io.sources.package_network`) with its own lines of the layer; otherwise the
source's own lines of each layer (an OSM file, a package without a network, the user's
files). Places are Natural Earth's populated places
(:func:`geo.io.places.default_places`) or ``--places FILE``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from geo.basis import get_basis
from geo.border_network import BAND_M, TIE_M
from geo.errors import InvalidParameterError
from geo.io.network_data import dataset_network
from geo.io.places import default_places, read_places
from geo.io.resilience_report import render
from geo.io.sources import load_source, package_network
from geo.names_zh import ChineseNames
from geo.resilience import CRITICAL_MIN, MAX_PAIR_INTERFACES
from geo.text import Bilingual
from geo.what_if import CONNECT_M, ROUTABLE_LAYERS, border_neighbours, what_if

#: Bounds of ``--network-km`` (the band's half-width): bounded work on a shared server.
NETWORK_KM = (1.0, 200.0)


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the ``resilience`` command to ``sub``."""
    cmd = sub.add_parser(
        "resilience",
        help="what if an interface closes: detours and min cut per border",
        description="Close each interface of a border (or those of --close) and measure "
        "the detours between the places on each side, and the number of edge-disjoint "
        "routes across the border (min cut).",
    )
    cmd.add_argument("source", help="an embedded dataset name, an OSM file or a boundaries file")
    cmd.add_argument(
        "lines", nargs="*", metavar="[LAYER=]PATH", help="line files to add to a boundaries file"
    )
    cmd.add_argument("--region", required=True, help="one side of the border (any of its names)")
    cmd.add_argument(
        "--neighbour",
        "--neighbor",
        dest="neighbour",
        help="the other side; by default every neighbour of --region",
    )
    cmd.add_argument(
        "--layers",
        default=",".join(ROUTABLE_LAYERS),
        help=f"comma-separated routable layers (default {','.join(ROUTABLE_LAYERS)})",
    )
    cmd.add_argument(
        "--close",
        action="append",
        default=[],
        metavar="ID,...",
        help="interface ids closed together (repeat for several scenarios); by default "
        "each interface alone",
    )
    cmd.add_argument(
        "--pairs",
        action="store_true",
        help="also close every pair of interfaces of a layer together (at most "
        f"{MAX_PAIR_INTERFACES} interfaces)",
    )
    cmd.add_argument(
        "--network-km",
        type=float,
        default=BAND_M / 1000,
        help=f"half-width of the band around the border (default {BAND_M / 1000:g} km)",
    )
    cmd.add_argument(
        "--critical-min",
        type=float,
        default=CRITICAL_MIN,
        help=f"added minutes that make an interface critical (default {CRITICAL_MIN:g})",
    )
    cmd.add_argument("--places", type=Path, help="points file with name and population columns")
    cmd.add_argument("--as-of", help="the network of this year")
    cmd.add_argument("--basis", help="the counting basis (default open)")
    cmd.add_argument(
        "--format",
        choices=("table", "json", "geojson"),
        default="table",
        help="table (default), json, or geojson (the detour routes)",
    )
    cmd.add_argument("--admin-level", type=int, help="OSM admin_level of the regions")
    cmd.add_argument(
        "--out",
        type=out_path,
        help="write to this file instead of stdout; its extension must fit --format: .txt "
        "(table), .json (json) or .geojson (geojson); - is stdout",
    )
    cmd.add_argument("--force", action="store_true", help="overwrite --out if it exists")


def out_path(text: str) -> Path | None:
    """``--out`` of a command that prints text (this one, ``crossings``): None for ``-``.

    ``-`` is standard output, as in most command-line tools (it wrote a file named ``-``).
    """
    return None if text == "-" else Path(text)


def run(args: argparse.Namespace, lang: str) -> str:
    """Run the command; return its text (in ``lang`` for a table)."""
    layer_names = [x.strip() for x in args.layers.split(",") if x.strip()]
    if not NETWORK_KM[0] <= args.network_km <= NETWORK_KM[1]:
        raise InvalidParameterError(
            Bilingual(
                f"--network-km must be between {NETWORK_KM[0]:g} and {NETWORK_KM[1]:g} "
                f"(got {args.network_km:g}), e.g. --network-km 50.",
                f"--network-km 须在 {NETWORK_KM[0]:g} 与 {NETWORK_KM[1]:g} 之间"
                f"（收到 {args.network_km:g}），例如 --network-km 50。",
            )
        )
    statuses = tuple(get_basis(args.basis).statuses) if args.basis else ("open",)
    source = load_source(
        args.source,
        args.lines,
        region=args.region,
        admin_level=args.admin_level,
        layer_names=[*[n for n in layer_names if n in ROUTABLE_LAYERS], "ports"],
    )
    regions = source.region_set
    a = regions.require(args.region)
    others = border_neighbours(regions, a, args.neighbour)
    places = read_places(args.places) if args.places else default_places()
    close = [[i.strip() for i in item.split(",") if i.strip()] for item in args.close] or None
    network = dataset_network(source.folder, tuple(layer_names))
    connect_m: float | None = CONNECT_M
    if not network:  # a fetched package's network band: the same data as its own lines
        network, connect_m = package_network(args.source, layer_names), None
    results = []
    for b in others:
        found = what_if(
            source.layers,
            regions,
            a,
            b,
            layer_names=layer_names,
            network=network,
            places=places,
            band_m=args.network_km * 1000,
            tie_m=TIE_M,
            close=close,
            critical_min=args.critical_min,
            as_of=args.as_of,
            statuses=statuses,
            connect_m=connect_m,
            pairs=args.pairs,
        )
        for result in found:
            if connect_m is None and result.layer in network:
                n = len(network[result.layer])
                result.warnings.append(
                    Bilingual(
                        f"Routed on the package's network band ({n:,} main {result.layer} "
                        "lines, fetch --network-km) and its own lines of the layer.",
                        f"路径计算使用数据包的网络范围（{n:,} 条主要线路，fetch --network-km）"
                        "及其自身的该图层线路。",
                    )
                )
        results += found
    return render(
        results,
        args.format,
        source=source.name,
        attribution=source.attribution,
        lang=lang,
        as_of=args.as_of,
        band_km=args.network_km,
        critical_min=args.critical_min,
        names=ChineseNames.of(regions.regions, source.layers),
        attribution_zh=source.attribution_zh,
    )
