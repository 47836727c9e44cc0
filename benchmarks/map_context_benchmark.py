"""What the map's offline context costs each rerun: the map script's size and the time to make it.

On every rerun the page draws a new folium map from the cached content
(:func:`app.webmap.draw_map`) and ``st_folium`` renders its script
(``streamlit_folium._get_map_string``), which it sends to the browser. This script times
those two steps (CPU time, median of ``--runs``) on the page's first view of ``yrd``
(Zhejiang–Shanghai) in both languages, and prints the script's size and how much of it is
the context. Run it on two checkouts to compare::

    .venv/bin/python -m benchmarks.map_context_benchmark --runs 60
    PYTHONPATH=/work/main .venv/bin/python -m benchmarks.map_context_benchmark --runs 60
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from streamlit_folium import _get_map_string

from app import map_context, views, webmap


def _measure(lang: str, runs: int) -> dict[str, float]:
    loaded, query = views.first_view("yrd")
    content = views.map_content(loaded, views.count(loaded, query), query, lang)  # type: ignore[arg-type]
    script = _get_map_string(webmap.draw_map(content))  # warm: the context is made once
    times = []
    for _ in range(runs):
        started = time.process_time()
        script = _get_map_string(webmap.draw_map(content))
        times.append((time.process_time() - started) * 1000)
    context = map_context.context_json()
    return {
        "script_bytes": len(script.encode("utf-8")),
        "context_inline": float(context in script),
        "context_bytes": len(context.encode("utf-8")),
        "median_ms": statistics.median(times),
        "p10_ms": statistics.quantiles(times, n=10)[0],
        "p90_ms": statistics.quantiles(times, n=10)[-1],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    for lang in ("en", "zh"):
        got = _measure(lang, args.runs)
        inline = f"inline, {int(got['context_bytes']):,} bytes"
        print(
            f"{lang}: map script {got['script_bytes']:,} bytes "
            f"(context {inline if got['context_inline'] else 'not inline'}); "
            f"draw + render {got['median_ms']:.1f} ms median "
            f"({got['p10_ms']:.1f}-{got['p90_ms']:.1f}, {args.runs} runs)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
