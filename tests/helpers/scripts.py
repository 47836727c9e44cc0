"""Load a maintainer script of ``scripts/`` (not a package) as a module, without touching
the import path (``tests/test_import_rules.py`` refuses that)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from helpers.paths import ROOT


def load_script(name: str) -> ModuleType:
    """``scripts/<name>.py`` as the module ``name`` (loaded once, then reused)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None, name
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module
