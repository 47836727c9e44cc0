"""The Streamlit side.

What the page shows (views), the page's state, the map and its HTML, the fetch panel and the
result cache. Nothing in ``geo/`` or ``layers/`` imports this package.
"""
