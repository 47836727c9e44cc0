"""Reading and writing: files, datasets, the network.

OSM files, the user's GIS files, embedded datasets, fetched packages, Overpass, exports and
reports. The counting engine in ``geo/`` never opens a file itself.
"""
