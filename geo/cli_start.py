"""The command line's first moments: its language, and a Ctrl-C before the command runs.

``python -m geo`` and the ``jiegui`` script import the whole engine before :func:`geo.cli.main`
can catch anything: geopandas, shapely, pyproj, pyosmium and the engine's modules take 0.3 s
on an idle machine, over a second on a busy one. A Ctrl-C in that time raised
``KeyboardInterrupt`` inside an import, and Python printed its traceback. So ``geo/__init__.py``
first calls :func:`guard_start_up`, which, in the command's process only, makes a Ctrl-C end
it at once, as a Ctrl-C later ends it (:func:`geo.cli.main`): the one sentence
:data:`CANCELLED` on stderr in the command line's language, exit code :data:`CANCELLED_EXIT`.
Nothing is written or made before the command runs, so there is nothing to clean up: the
process ends there (``os._exit``), without unwinding the imports half done.
:func:`end_start_up`, called by :func:`geo.cli.main` as the command starts, gives Ctrl-C back
to Python (``KeyboardInterrupt``), which the command needs to remove its temporary files on
the way out.

This module imports nothing of the engine (only :mod:`geo.text`), so that it is ready within
milliseconds. What remains unguarded is the interpreter's own start (its ``site`` imports) up to
the first line of ``geo/__init__.py``, about 20 ms.

The language is that of :func:`message_language`, read from the command line itself
(:func:`argv_language`): it lives here so that the guard can say its sentence before
:mod:`geo.cli` is imported; :mod:`geo.cli` uses it from here.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Mapping, Sequence
from types import FrameType
from typing import Literal

from geo.text import Bilingual

#: The languages of the command line (:data:`geo.labels.LANGUAGES`, which this module does
#: not import; ``tests/test_cli_start.py`` checks they are the same).
LANGUAGES = ("en", "zh")
#: The environment variable naming a language (:data:`geo.settings.LANGUAGE`, likewise).
LANGUAGE_VARIABLE = "JIEGUI_LANGUAGE"
#: The exit code of a command cancelled by Ctrl-C (SIGINT), as shells report it (128 + 2).
CANCELLED_EXIT = 130
#: What the command line says when cancelled.
CANCELLED = Bilingual(
    "Cancelled (Ctrl-C); nothing was written and the temporary files were removed.",
    "已取消（Ctrl-C）；没有写出任何文件，临时文件已删除。",
)
#: The name of the console script (``pyproject.toml``'s ``[project.scripts]``).
SCRIPT = "jiegui"


def message_language(
    option: str | None, environ: Mapping[str, str] | None = None
) -> Literal["en", "zh"]:
    """The language the command line prints its errors in.

    ``--lang`` when given, else ``JIEGUI_LANGUAGE`` (:data:`geo.settings.LANGUAGE`), else
    the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``zh_CN.UTF-8`` is Chinese), else
    English. A setting that names neither language counts as unset.

    Examples
    --------
    >>> message_language("zh", {}), message_language(None, {"LANG": "zh_CN.UTF-8"})
    ('zh', 'zh')
    >>> message_language(None, {"JIEGUI_LANGUAGE": "en", "LANG": "zh_CN.UTF-8"})
    'en'
    >>> message_language(None, {"LANG": "C.UTF-8"}), message_language(None, {})
    ('en', 'en')
    """
    env = os.environ if environ is None else environ
    locale = next((env[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(v)), "")
    for tag in (option, env.get(LANGUAGE_VARIABLE), locale):
        primary = primary_language(tag)
        if primary in LANGUAGES:
            return "zh" if primary == "zh" else "en"
    return "en"


def primary_language(tag: str | None) -> str:
    """A language tag's first part, lower case: ``zh`` of ``zh_CN.UTF-8``, ``en`` of ``EN``."""
    return (tag or "").strip().lower().replace("_", "-").split("-")[0].split(".")[0]


def argv_language(argv: Sequence[str]) -> Literal["en", "zh"]:
    """The language of the command line ``argv``: its ``--lang``, before argparse reads it.

    Examples
    --------
    >>> argv_language(["crossings", "yrd", "--lang", "zh"]), argv_language(["--lang=en"])
    ('zh', 'en')
    """
    return message_language(argv_lang_option(argv))


def argv_lang_option(argv: Sequence[str]) -> Literal["en", "zh"] | None:
    """The language ``--lang`` names in ``argv`` (the last one given), None without one.

    Examples
    --------
    >>> argv_lang_option(["cities", "yrd", "--lang", "zh"]), argv_lang_option(["cities"])
    ('zh', None)
    """
    option = None
    for n, item in enumerate(argv):
        if item == "--lang" and n + 1 < len(argv):
            option = argv[n + 1]
        elif item.startswith("--lang="):
            option = item.removeprefix("--lang=")
    return "zh" if option == "zh" else "en" if option == "en" else None


def is_command(argv: Sequence[str], orig_argv: Sequence[str]) -> bool:
    """Whether this process is the command: ``python [options] -m geo ...`` or ``jiegui ...``.

    ``argv`` is :data:`sys.argv` (the script's path first: ``.../bin/jiegui``), ``orig_argv``
    :data:`sys.orig_argv` (the interpreter's own options too). Any other process that imports
    :mod:`geo` (the page, the tests, ``python -m geo.something``, a script) is not.

    Examples
    --------
    >>> is_command(["-m"], ["python", "-X", "importtime", "-m", "geo", "crossings"])
    True
    >>> is_command(["/venv/bin/jiegui", "crossings"], ["python", "/venv/bin/jiegui"])
    True
    >>> is_command(["-m"], ["python", "-m", "geo.io.x"]), is_command(["-c"], ["python", "-c", "x"])
    (False, False)
    """
    if argv and os.path.basename(argv[0]) == SCRIPT:
        return True
    options = iter(orig_argv[1:])
    for item in options:
        if item in ("-X", "-W"):  # options that take a value of their own
            next(options, None)
        elif item.startswith("-m"):
            return (item[2:] or next(options, "")) == "geo"
        elif item == "-c" or not item.startswith("-"):
            return False
    return False


def _cancelled_at_start(signum: int, frame: FrameType | None) -> None:
    """Say :data:`CANCELLED` in the command line's language; end the process with code 130."""
    text = CANCELLED.zh if argv_language(sys.argv[1:]) == "zh" else CANCELLED.en
    encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    os.write(2, f"jiegui: {text}\n".encode(encoding, "backslashreplace"))
    os._exit(CANCELLED_EXIT)


def guard_start_up() -> None:
    """In the command's process, end a Ctrl-C during start-up with the sentence and code 130.

    Only there (:func:`is_command`), only in the main thread, and only where Ctrl-C has
    Python's own handler: a process started with SIGINT ignored (a background job) keeps it
    ignored.
    """
    if not is_command(sys.argv, getattr(sys, "orig_argv", [])):
        return
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return
    try:
        signal.signal(signal.SIGINT, _cancelled_at_start)
    except ValueError:  # not the main thread
        return


def end_start_up() -> None:
    """Give Ctrl-C back to Python (``KeyboardInterrupt``) if :func:`guard_start_up` took it."""
    if signal.getsignal(signal.SIGINT) is _cancelled_at_start:
        signal.signal(signal.SIGINT, signal.default_int_handler)


__all__ = [
    "CANCELLED",
    "CANCELLED_EXIT",
    "LANGUAGES",
    "LANGUAGE_VARIABLE",
    "argv_lang_option",
    "argv_language",
    "end_start_up",
    "guard_start_up",
    "is_command",
    "message_language",
    "primary_language",
]
