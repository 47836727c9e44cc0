"""The README's commands and examples print what the README shows.

How README.md is read (fenced code blocks, by their language):

* ``console``: lines starting with ``$ `` are commands; the lines after one, up to the next
  command or the end of the block, are what it prints on stdout. A command is ``jiegui``,
  ``.venv/bin/jiegui``, ``python -m geo`` or ``.venv/bin/python -m geo`` followed by its
  arguments; it runs from the project root as ``sys.executable -m geo``, so it works in any
  virtual environment. Commands reading ``../shared/`` are skipped when that is absent.
* In an expected output, a line that is only ``...`` stands for any number of lines (none
  included), and a line ending in `` ...`` for one line that starts with the text before it.
  Every other line must equal the printed line; trailing whitespace is ignored.
* ``python``: the one such block runs with ``sys.executable -c`` from the project root; the
  ``text`` block right after it is what it prints.
* ``bash``: not run (it installs, starts the app or writes files). ``bash scripts/NAME.sh``
  must name a script that exists; a Jiegui command must parse with the CLI's own parser.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import io
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, fields

import pytest

from geo.cli import build_parser
from geo.rules import CrossingRules
from helpers.paths import MONACO, ROOT

README = ROOT / "README.md"
ELLIPSIS = "..."
#: A shell line that goes on on the next line ends with this.
CONTINUATION = "\\"
#: How the README may start a Jiegui command; each runs as ``sys.executable -m geo``.
JIEGUI_PREFIXES = (
    (".venv/bin/python", "-m", "geo"),
    ("python", "-m", "geo"),
    (".venv/bin/jiegui",),
    ("jiegui",),
)


@dataclass(frozen=True)
class Block:
    """A fenced code block of the README: its language, first line number and lines."""

    lang: str
    line: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Example:
    """A command of a console block and the output the README shows for it."""

    line: int
    command: str
    expected: tuple[str, ...]


def read_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    lang, start, body = None, 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        fence = re.match(r"^```(\S*)\s*$", line)
        if lang is None and fence:
            lang, start, body = fence.group(1), number + 1, []
        elif lang is not None and line.rstrip() == "```":
            blocks.append(Block(lang, start, tuple(body)))
            lang = None
        elif lang is not None:
            body.append(line)
    assert lang is None, f"README.md: the block opened at line {start - 1} is never closed"
    return blocks


def console_examples(blocks: list[Block]) -> list[Example]:
    examples: list[Example] = []
    for block in blocks:
        if block.lang != "console":
            continue
        assert block.lines and block.lines[0].startswith("$ "), (
            f"README.md line {block.line}: a console block starts with a `$ ` command"
        )
        for offset, line in enumerate(block.lines):
            if line.startswith("$ "):
                examples.append(Example(block.line + offset, line[2:].strip(), ()))
            else:
                last = examples[-1]
                examples[-1] = Example(last.line, last.command, (*last.expected, line))
    return examples


def jiegui_arguments(command: str) -> list[str] | None:
    """The arguments after a Jiegui command's program, or None if it is not one."""
    words = shlex.split(command)
    for prefix in JIEGUI_PREFIXES:
        if tuple(words[: len(prefix)]) == prefix:
            return words[len(prefix) :]
    return None


def _clean(lines: list[str] | tuple[str, ...]) -> list[str]:
    cleaned = [line.rstrip() for line in lines]
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    return cleaned


def _line_matches(expected: str, actual: str) -> bool:
    if expected.endswith(" " + ELLIPSIS):
        return actual.startswith(expected[: -len(ELLIPSIS)])
    return expected == actual


def output_matches(expected: list[str] | tuple[str, ...], printed: str) -> bool:
    """Whether ``printed`` is what ``expected`` shows, ``...`` lines standing for any lines."""
    want, got = _clean(expected), _clean(printed.splitlines())

    @functools.cache
    def from_(i: int, j: int) -> bool:
        if i == len(want):
            return j == len(got)
        if want[i] == ELLIPSIS:
            return any(from_(i + 1, k) for k in range(j, len(got) + 1))
        return j < len(got) and _line_matches(want[i], got[j]) and from_(i + 1, j + 1)

    return from_(0, 0)


def _explain(expected: list[str] | tuple[str, ...], printed: str) -> str:
    """The first line the README shows that is not printed where it should be, and the
    printed line closest to it; the whole printed output follows."""
    want, got = _clean(expected), _clean(printed.splitlines())
    j, skipping = 0, False
    for line in want:
        if line == ELLIPSIS:
            skipping = True
            continue
        found = next(
            (k for k in range(j, len(got) if skipping else min(j + 1, len(got)))
             if _line_matches(line, got[k])),
            None,
        )  # fmt: skip
        if found is None:
            shown = line.removesuffix(ELLIPSIS)
            closest = max(
                got[j:] or got or ["(nothing)"],
                key=lambda g: difflib.SequenceMatcher(None, shown, g[: len(shown)]).ratio(),
            )
            return f"README.md shows:  {line}\nclosest printed:  {closest}\nprinted:\n{printed}"
        j, skipping = found + 1, False
    return f"README.md's output ends at line {len(want)}; printed more:\n{printed}"


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )


BLOCKS = read_blocks(README.read_text(encoding="utf-8"))
EXAMPLES = console_examples(BLOCKS)


def _example_param(example: Example) -> object:
    shared = "../shared/" in example.command
    marks = [pytest.mark.shared] if shared else []
    return pytest.param(example, id=f"line {example.line}", marks=marks)


# ------------------------------------------------------------------------- the examples


def test_the_readme_shows_the_promised_examples():
    commands = [example.command for example in EXAMPLES]
    assert any(" crossings yrd " in f" {c} " for c in commands), "a CLI example on yrd"
    assert any(MONACO.name in c for c in commands), "a CLI example on the Monaco extract"
    assert all(example.expected for example in EXAMPLES), "every command shows its output"
    python = [b for b in BLOCKS if b.lang == "python"]
    assert len(python) == 1, "one Python example"
    assert len(_clean(python[0].lines)) <= 6, "the Python example fits in 6 lines"


@pytest.mark.parametrize("example", [_example_param(e) for e in EXAMPLES])
def test_each_console_command_prints_what_the_readme_shows(example: Example):
    arguments = jiegui_arguments(example.command)
    assert arguments is not None, (
        f"README.md line {example.line}: {example.command!r} is not a Jiegui command; "
        "console blocks may only run jiegui or python -m geo"
    )
    for word in arguments:
        if word.startswith("../shared/") and not (ROOT / word).exists():
            pytest.skip(f"{word} is absent: the real OSM extracts live in ../shared/osm/")
    done = _run(["-m", "geo", *arguments])
    assert done.returncode == 0, f"README.md line {example.line} failed:\n{done.stderr}"
    assert output_matches(example.expected, done.stdout), (
        f"README.md line {example.line}: `{example.command}` printed something else:\n"
        + _explain(example.expected, done.stdout)
    )


def test_the_python_example_prints_what_the_readme_shows():
    index = next(i for i, block in enumerate(BLOCKS) if block.lang == "python")
    code, shown = BLOCKS[index], BLOCKS[index + 1] if index + 1 < len(BLOCKS) else None
    assert shown is not None and shown.lang == "text", (
        f"README.md line {code.line}: a ```text block with its output follows the Python example"
    )
    done = _run(["-c", "\n".join(code.lines)])
    assert done.returncode == 0, f"README.md line {code.line} failed:\n{done.stderr}"
    assert output_matches(shown.lines, done.stdout), (
        f"README.md line {code.line}: the Python example printed something else:\n"
        + _explain(shown.lines, done.stdout)
    )


# --------------------------------------------------------------- commands not run here


def _bash_commands() -> list[tuple[int, str]]:
    commands = []
    for block in BLOCKS:
        if block.lang != "bash":
            continue
        pending, first = "", 0
        for offset, line in enumerate(block.lines):
            text = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
            if not text and not pending:
                continue
            first = first if pending else block.line + offset
            pending = f"{pending} {text.removesuffix(CONTINUATION)}".strip()
            if not text.endswith(CONTINUATION):
                commands.append((first, pending))
                pending = ""
    return commands


def test_the_set_up_scripts_named_in_the_readme_exist():
    scripts = [shlex.split(c)[1] for _, c in _bash_commands() if c.startswith("bash ")]
    assert scripts[:2] == ["scripts/app.sh", "scripts/test.sh"]
    for script in scripts:
        assert (ROOT / script).is_file(), f"README.md names {script}, which does not exist"
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_jiegui_command_not_run_here_parses_with_the_cli_s_own_parser():
    checked = 0
    for line, command in _bash_commands():
        if command.startswith("bash "):
            continue
        arguments = jiegui_arguments(command)
        assert arguments is not None, f"README.md line {line}: unknown command {command!r}"
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors):
            try:
                build_parser().parse_args(arguments)
            except SystemExit:
                pytest.fail(f"README.md line {line}: {command!r}: {errors.getvalue()}")
        checked += 1
    assert checked, "the README shows how to fetch"


def test_the_rules_table_shows_the_rules_defaults():
    # The README names the rules; their table, with every default, is in the rules' page.
    page = ROOT / "docs" / "counting-rules.md"
    text = page.read_text(encoding="utf-8")
    shown = {
        name: float(value) * (1000 if unit == "km" else 1)
        for name, value, unit in re.findall(r"`(\w+_m)` \(([\d.]+) (m|km)\)", text)
    }
    defaults = CrossingRules()
    assert set(shown) == {f.name for f in fields(CrossingRules)}
    for name, metres in shown.items():
        assert getattr(defaults, name) == metres, f"{page.name}: {name} is not {metres} m"


def test_the_readme_s_and_docs_links_lead_to_files_that_exist():
    for page in [README, *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)\)", page.read_text(encoding="utf-8")):
            if "://" not in target:
                assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


# ----------------------------------------------------------------- the comparison itself


def test_a_changed_digit_in_the_output_does_not_match():
    printed = "Zhejiang – Shanghai\n  highways  4 route(s), 26 lanes\n"
    assert output_matches(["Zhejiang – Shanghai", "  highways  4 route(s), 26 lanes"], printed)
    assert not output_matches(["Zhejiang – Shanghai", "  highways  4 route(s), 22 lanes"], printed)
    assert not output_matches(["Zhejiang – Shanghai"], printed)


def test_an_ellipsis_stands_for_lines_or_a_line_s_end_and_nothing_else():
    printed = "a\nb\nc 12 and more\nd\n"
    assert output_matches(["...", "c 12 ...", "d"], printed)
    assert output_matches(["a", "...", "b", "...", "d", "..."], printed)
    assert not output_matches(["...", "c 13 ...", "d"], printed)
    assert not output_matches(["a", "...", "x"], printed)
    assert not output_matches(["c 12 ..."], printed)
