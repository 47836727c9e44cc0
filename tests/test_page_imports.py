"""The page's imports and the server's start-up imports, run at once, both succeed.

``server.py`` imports the page's libraries and the engine in a thread while the first
browser connects, and the page's first run imports them too. A geo module that the page's
run reached first, through a page module, while the start-up thread was still importing the
``geo`` package (a module doing ``from geo import basis``, as ``geo.labels`` does) waited
for the package while the package waited for it; Python broke that deadlock by failing one
import ("cannot import name ... from partially initialized module"), and the browser tests
found pages that never drew. The page imports the whole engine first. Here the start-up
thread holds the package half imported until the page's run begins a geo module of its
own (or 3 s pass), so the page's imports always meet it under way: without the page's
``import geo`` this fails every time.
"""

from __future__ import annotations

import subprocess
import sys

from helpers.paths import ROOT

RACE = r"""
import ast, importlib.abc, importlib.machinery, sys, threading, time
from pathlib import Path

page_in_engine = threading.Event()

class SlowEngine(importlib.abc.MetaPathFinder):
    # The start-up thread, half way through the geo package, runs geo.compare only once
    # the page's run has begun a geo module of its own (or after 3 s: a page that waits for
    # the package never does). The wait is in the module's execution: a finder runs under
    # the interpreter's global import lock, which would stop every thread.
    def find_spec(self, name, path, target=None):
        thread = threading.current_thread().name
        if name.startswith("geo.") and thread == "page":
            page_in_engine.set()
        if name != "geo.compare" or thread != "start-up":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        real = spec.loader

        class Waiting(importlib.abc.Loader):
            def create_module(self, spec):
                return real.create_module(spec)

            def exec_module(self, module):
                page_in_engine.wait(timeout=3)
                real.exec_module(module)

        spec.loader = Waiting()
        return spec

sys.meta_path.insert(0, SlowEngine())
page = ast.parse(Path(sys.argv[1]).read_text(encoding="utf-8"))
first_party = [
    node for node in page.body
    if isinstance(node, (ast.Import, ast.ImportFrom))
    and (node.module if isinstance(node, ast.ImportFrom) else node.names[0].name)
    .split(".")[0] in ("geo", "app", "layers")
]
code = compile(ast.Module(body=first_party, type_ignores=[]), "streamlit_app.py", "exec")
errors = []

def start_up():  # what server.prepare imports of the project
    try:
        from app import uploads, views  # noqa: F401
    except Exception as exc:
        errors.append(f"start-up: {exc!r}")

def page_run():
    while "geo" not in sys.modules:  # the start-up thread is inside the geo package
        time.sleep(0.01)
    try:
        exec(code, {"__name__": "page"})
    except Exception as exc:
        errors.append(f"page: {exc!r}")

threads = [threading.Thread(target=start_up, name="start-up"),
           threading.Thread(target=page_run, name="page")]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("\n".join(errors) or "ok")
"""


def test_the_page_and_the_start_up_thread_import_the_engine_at_once():
    done = subprocess.run(
        [sys.executable, "-c", RACE, str(ROOT / "streamlit_app.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "ok", done.stdout + done.stderr[-2000:]
