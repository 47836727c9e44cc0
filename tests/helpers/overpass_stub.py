"""A loopback Overpass API (and Nominatim search) answering from a real OSM extract.

It lets the real osmnx download path run end to end offline: osmnx posts its Overpass QL
query to ``/api/interpreter`` exactly as it would online; the stub evaluates the subset
of Overpass QL that osmnx's ``features_from_polygon`` writes::

    [out:json][timeout:T];((node['key'='value'](poly:'lat lon ...');(._;>;););...);out;

with Overpass's meaning: a node matches when it lies in the polygon, a way when any part
of it does, a relation when any member does; ``(._;>;)`` adds the nodes of matched ways
and the members of matched relations. It also serves ``/api/status`` (osmnx's rate-limit
check), ``/api/timestamp`` and Nominatim's ``/search`` for the places it is given.
Anything it does not understand gets HTTP 400, so a change in osmnx's queries fails the
tests instead of passing silently.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import numpy as np
import osmium
import shapely

_SETTINGS = re.compile(r"^\[out:json\]\[timeout:\d+(?:\.\d+)?\](?:\[maxsize:\d+\])?;\((.*)\);out;$")
_COMPONENT = re.compile(
    r"\((node|way|relation)\['([^']+)'(?:='([^']*)')?\]\(poly:'([^']+)'\);\(\._;>;\);\);"
)


@dataclass
class Extract:
    """Every node, way and relation of an OSM file, kept for answering queries."""

    nodes: dict[int, tuple[float, float, dict[str, str]]] = field(default_factory=dict)
    ways: dict[int, tuple[list[int], dict[str, str]]] = field(default_factory=dict)
    relations: dict[int, tuple[list[tuple[str, int, str]], dict[str, str]]] = field(
        default_factory=dict
    )
    newest: str = ""

    @classmethod
    def read(cls, path: str | Path) -> Extract:
        """Read an OSM file (any format pyosmium reads)."""
        data = cls()
        newest = None
        for obj in osmium.FileProcessor(str(path)):
            tags = {t.k: t.v for t in obj.tags}
            if newest is None or obj.timestamp > newest:
                newest = obj.timestamp
            if obj.is_node():
                if obj.location.valid():
                    data.nodes[obj.id] = (obj.location.lon, obj.location.lat, tags)
            elif obj.is_way():
                data.ways[obj.id] = ([n.ref for n in obj.nodes], tags)
            else:
                members = [(m.type, m.ref, m.role) for m in obj.members]
                data.relations[obj.id] = (members, tags)
        data.newest = newest.strftime("%Y-%m-%dT%H:%M:%SZ") if newest else ""
        data._index()
        return data

    def _index(self) -> None:
        self._node_ids = np.array(list(self.nodes), dtype=np.int64)
        self._node_points = shapely.points([(v[0], v[1]) for v in self.nodes.values()])
        self._way_ids = np.array(list(self.ways), dtype=np.int64)
        self._way_lines = np.array([self._way_shape(w) for w in self.ways], dtype=object)

    def _way_shape(self, way_id: int) -> shapely.Geometry:
        coords = [self.nodes[n][:2] for n in self.ways[way_id][0] if n in self.nodes]
        if len(coords) >= 2:
            return shapely.LineString(coords)
        if coords:
            return shapely.Point(coords[0])
        return shapely.GeometryCollection()

    def select(self, kind: str, key: str, value: str | None, poly: shapely.Polygon) -> set:
        """``(kind, id)`` of the elements with the tag that intersect ``poly``."""
        shapely.prepare(poly)
        if kind == "node":
            hit = shapely.intersects(poly, self._node_points)
            return {
                ("node", int(i))
                for i in self._node_ids[hit]
                if _has(self.nodes[int(i)][2], key, value)
            }
        if kind == "way":
            hit = shapely.intersects(poly, self._way_lines)
            ways = self._way_ids[hit]
            return {("way", int(i)) for i in ways if _has(self.ways[int(i)][1], key, value)}
        found = set()
        for rel_id, (members, tags) in self.relations.items():
            if not _has(tags, key, value):
                continue
            for mtype, ref, _ in members:
                geom = None
                if mtype == "n" and ref in self.nodes:
                    geom = shapely.Point(self.nodes[ref][:2])
                elif mtype == "w" and ref in self.ways:
                    geom = self._way_shape(ref)
                if geom is not None and shapely.intersects(poly, geom):
                    found.add(("relation", rel_id))
                    break
        return found

    def down(self, selected: set) -> set:
        """Overpass's ``>``: nodes of the ways, members (and their nodes) of the relations."""
        out = set()
        for kind, ident in selected:
            if kind == "way":
                out |= {("node", n) for n in self.ways[ident][0] if n in self.nodes}
            elif kind == "relation":
                for mtype, ref, _ in self.relations[ident][0]:
                    if mtype == "n" and ref in self.nodes:
                        out.add(("node", ref))
                    elif mtype == "w" and ref in self.ways:
                        out.add(("way", ref))
                        out |= {("node", n) for n in self.ways[ref][0] if n in self.nodes}
        return out

    def element(self, kind: str, ident: int) -> dict:
        """An element in Overpass JSON."""
        if kind == "node":
            lon, lat, tags = self.nodes[ident]
            out = {"type": "node", "id": ident, "lat": lat, "lon": lon}
        elif kind == "way":
            refs, tags = self.ways[ident]
            out = {"type": "way", "id": ident, "nodes": [n for n in refs if n in self.nodes]}
        else:
            members, tags = self.relations[ident]
            names = {"n": "node", "w": "way", "r": "relation"}
            out = {
                "type": "relation",
                "id": ident,
                "members": [{"type": names[t], "ref": r, "role": role} for t, r, role in members],
            }
        if tags:
            out["tags"] = dict(tags)
        return out


def _has(tags: Mapping[str, str], key: str, value: str | None) -> bool:
    return key in tags and (value is None or tags[key] == value)


def answer(extract: Extract, query: str) -> dict:
    """Evaluate an osmnx features query; ``ValueError`` when it is not of that form."""
    match = _SETTINGS.match(query.strip())
    if not match:
        raise ValueError(f"unsupported query: {query[:200]}")
    body = match.group(1)
    components = list(_COMPONENT.finditer(body))
    if not components or "".join(m.group(0) for m in components) != body:
        raise ValueError(f"unsupported query body: {body[:200]}")
    chosen: set = set()
    for m in components:
        kind, key, value, poly_text = m.groups()
        numbers = [float(v) for v in poly_text.split()]
        poly = shapely.Polygon(list(zip(numbers[1::2], numbers[0::2])))
        selected = extract.select(kind, key, value, poly)
        chosen |= selected | extract.down(selected)
    order = {"node": 0, "way": 1, "relation": 2}
    elements = [extract.element(k, i) for k, i in sorted(chosen, key=lambda e: (order[e[0]], e[1]))]
    return {
        "version": 0.6,
        "generator": "Jiegui test stub",
        "osm3s": {"timestamp_osm_base": extract.newest},
        "elements": elements,
    }


class OverpassStub:
    """An HTTP server on 127.0.0.1 serving :func:`answer` and a tiny Nominatim.

    Parameters
    ----------
    extract
        The data to answer from.
    places
        ``{query: GeoJSON geometry}`` answered by ``/search``.
    fail_first
        Answer this many interpreter requests with HTTP 500 before answering properly.
    """

    def __init__(
        self, extract: Extract, places: Mapping[str, dict] | None = None, fail_first: int = 0
    ) -> None:
        self.extract = extract
        self.places = dict(places or {})
        self.fail_first = fail_first
        self.requests: list[tuple[str, str]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _send(self, code: int, body: str, kind: str = "application/json") -> None:
                data = body.encode("utf-8")
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                stub.requests.append(("GET", url.path))
                if url.path == "/api/status":
                    self._send(200, _STATUS, "text/plain")
                elif url.path == "/api/timestamp":
                    self._send(200, stub.extract.newest + "\n", "text/plain")
                elif url.path == "/nominatim/search":
                    query = parse_qs(url.query).get("q", [""])[0]
                    self._send(200, json.dumps(stub._search(query)))
                elif url.path == "/nominatim/lookup":
                    ids = parse_qs(url.query).get("osm_ids", [""])[0]
                    self._send(200, json.dumps(stub._lookup(ids)))
                else:
                    self._send(404, "not found", "text/plain")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = parse_qs(self.rfile.read(length).decode("utf-8"))
                query = form.get("data", [""])[0]
                stub.requests.append(("POST", query))
                if urlparse(self.path).path != "/api/interpreter":
                    self._send(404, "not found", "text/plain")
                    return
                if stub.fail_first > 0:
                    stub.fail_first -= 1
                    self._send(500, "<html>stub: induced failure</html>", "text/html")
                    return
                try:
                    body = answer(stub.extract, query)
                except ValueError as exc:
                    self._send(400, str(exc), "text/plain")
                    return
                self._send(200, json.dumps(body))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        """``http://127.0.0.1:<port>``."""
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def overpass_url(self) -> str:
        """The Overpass base URL to give osmnx."""
        return self.base + "/api"

    @property
    def nominatim_url(self) -> str:
        """The Nominatim base URL to give osmnx."""
        return self.base + "/nominatim/"

    def interpreter_queries(self) -> list[str]:
        """The Overpass queries received so far."""
        return [body for method, body in self.requests if method == "POST"]

    def _lookup(self, osm_ids: str) -> list[dict]:
        """Nominatim's ``/lookup``: places keyed ``"R<id>"`` in ``places``, with a name."""
        out = []
        for key in osm_ids.split(","):
            for name in self.places:
                if name.startswith(key + " "):  # "R123 Monaco": id then OSM name
                    [found] = self._search(name)
                    found.update(osm_id=int(key[1:]), name=name.split(" ", 1)[1])
                    out.append(found)
        return out

    def _search(self, query: str) -> list[dict]:
        geometry = self.places.get(query)
        if geometry is None:
            return []
        west, south, east, north = shapely.geometry.shape(geometry).bounds
        return [
            {
                "place_id": 1,
                "osm_type": "relation",
                "osm_id": abs(hash(query)) % 10**7,
                "lat": str((south + north) / 2),
                "lon": str((west + east) / 2),
                "boundingbox": [str(south), str(north), str(west), str(east)],
                "display_name": f"{query} (test stub)",
                "class": "boundary",
                "type": "administrative",
                "importance": 0.9,
                "geojson": geometry,
            }
        ]

    def __enter__(self) -> OverpassStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


_STATUS = (
    "Connected as: 2130706433\n"
    "Current time: 2026-01-01T00:00:00Z\n"
    "Announced endpoint: none\n"
    "Rate limit: 2\n"
    "2 slots available now.\n"
    "Currently running queries (pid, space limit, time limit, start time):\n"
)
