"""Write the map's context as the page's map fetches it: ``static/jiegui/context.json``.

The coast, lakes and rivers of ``data/context``, simplified, quantised and delta-coded for
the map's script (:func:`app.map_context.context_json`). Streamlit serves ``static/``, so
the page's map fetches the file once and the browser keeps it, instead of receiving it in
the map's script on every rerun. Run it after ``scripts/build_context.py``;
``--check`` compares with the committed file (a test does the same).

Usage: ``python scripts/build_map_context.py [--check]``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app.map_context import CONTEXT_FILE, STATIC_ROOT, context_json
from geo.cli import message_language
from geo.errors import JieguiError
from geo.io.atomic import write_atomically


def main(argv: Sequence[str] | None = None) -> int:
    """Write the file, or with ``--check`` say whether the committed one is what it would be."""
    parser = argparse.ArgumentParser(
        prog="python scripts/build_map_context.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    target = STATIC_ROOT / CONTEXT_FILE
    text = context_json().encode("utf-8")
    if args.check:
        same = target.is_file() and target.read_bytes() == text
        print(f"{CONTEXT_FILE} is {'what the script makes' if same else 'out of date'}")
        return 0 if same else 1
    try:
        write_atomically(target, text, force=True)
    except JieguiError as exc:
        print(f"jiegui: {exc.text(message_language(None))}", file=sys.stderr)
        return 2
    print(f"wrote static/{CONTEXT_FILE} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
