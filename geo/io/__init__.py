"""Reading and writing: files, datasets, the network.

The counting engine in ``geo/`` never opens a file itself; these modules do:

* :mod:`~geo.io.sources`: what the user names (a file, a package, a dataset) as regions and
  layers, through :mod:`~geo.io.osm_stream` (OSM files, read fast), :mod:`~geo.io.osm_file`
  (the reference reader) and :mod:`~geo.io.osm_boundaries` (regions from OSM relations),
  :mod:`~geo.io.user_files` (the user's GIS files), :mod:`~geo.io.package` (fetched
  GeoPackages) and :mod:`~geo.io.datasets` (the embedded datasets);
* :mod:`~geo.io.context`: the map's offline context layer (coast, lakes, rivers, cities and
  label points, ``data/context``);
* :mod:`~geo.io.fetch`: the features near chosen borders, from :mod:`~geo.io.overpass`
  (online, through osmnx) or :mod:`~geo.io.osm_features` (a local OSM file), written as a
  package by :mod:`~geo.io.package`;
* :mod:`~geo.io.export` and :mod:`~geo.io.report`: results as files and as text;
  :mod:`~geo.io.border_report`: the border tables (overview, comparison, timeline) as text,
  JSON and CSV;
* guards at the boundary: :mod:`~geo.io.validate` (coordinates and features of what was
  read), :mod:`~geo.io.input_limits` (the work one input may cause, counted before it is
  read), :mod:`~geo.io.safe_paths` (names resolved inside a folder, for hosted mode) and
  :mod:`~geo.io.atomic` (every file written whole or not at all).

Imports go one way: ``fetch`` uses ``sources`` and ``package``; ``sources`` uses ``package``;
neither of those two uses ``fetch``.
"""
