"""A page of HTML drawn as a PNG picture or a PDF document by a headless Chromium.

The page's map exports (:mod:`app.print_sheet` builds the sheet) are drawn here, on the
server, with no display: Chromium's own command line (``--headless --screenshot`` and
``--print-to-pdf``) run as a subprocess. Decision: the command line, not Playwright. It
draws a finished page with no interaction to drive, so the driver's control is not needed,
and Playwright would be a runtime dependency of about 165 MB (its Node.js driver; it is a
test tool here, ``requirements-dev.txt``) for what a subprocess does.

Bounded work on a shared server:

* one drawing at a time per server process (:data:`_LOCK`); a second visitor waits up to
  :data:`WAIT_S` seconds, then is told to try again (:class:`geo.errors.RenderBusyError`);
* each drawing is stopped after :data:`TIMEOUT_S` seconds, with every process Chromium
  started (:class:`geo.errors.RenderTimeoutError`);
* Chromium's command line now and then hangs (public reports of ``--screenshot`` and
  ``--virtual-time-budget``: it writes the file and never exits, or never draws; our CI saw
  one PNG and PDF run stopped at 60 s where 1 s is usual). So the file is taken as soon as
  it is whole (a PNG through its ``IEND`` chunk, a PDF through ``%%EOF``) and no longer
  growing, and Chromium is then stopped; and a run that has drawn nothing by half the time
  left is stopped and started once more (:data:`ATTEMPTS`), with a fresh profile. What
  Chromium said on stderr goes to this module's log, never to the visitor;
* the page, Chromium's profile and the result live in a temporary folder removed after
  each drawing, whatever happens;
* Chromium resolves no host name (``--host-resolver-rules``) and uses no proxy, so a page
  drawn here cannot reach the network: the sheet carries its scripts inline.

Which Chromium: ``$JIEGUI_CHROMIUM`` (:data:`geo.settings.CHROMIUM_ENV`) when set, else
``chromium``, ``chromium-browser``, ``google-chrome`` on the ``PATH``
(:func:`chromium_path`); None without any, and the page then says so.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Final

from geo import settings
from geo.errors import ChromiumMissingError, RenderBusyError, RenderError, RenderTimeoutError
from geo.text import Bilingual

#: Seconds one drawing may take before Chromium is stopped.
TIMEOUT_S: Final = 60.0

#: Seconds a drawing waits for the one before it to end.
WAIT_S: Final = 30.0

#: Runs of Chromium one drawing may take: a run that draws nothing in its share of
#: :data:`TIMEOUT_S` (half, then all that is left) is stopped and started again.
ATTEMPTS: Final = 2

#: Seconds between looks at Chromium and at the file it writes.
POLL_S: Final = 0.1

#: Seconds Chromium is given to exit on its own once its file is whole.
EXIT_GRACE_S: Final = 1.0

#: Milliseconds of the page's own time Chromium lets pass before it draws (scripts run,
#: the map lays itself out); the page's clock runs fast when nothing is pending.
PAGE_TIME_MS: Final = 5000

#: The executables looked for on the ``PATH``, in order.
CANDIDATES: Final = ("chromium", "chromium-browser", "google-chrome")

PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
PDF_SIGNATURE: Final = b"%PDF"

#: How a whole file ends: a PNG with its empty ``IEND`` chunk (length, type, CRC), a PDF
#: with its end-of-file marker (then at most a line break).
PNG_END: Final = b"\x00\x00\x00\x00IEND\xaeB`\x82"
PDF_END: Final = b"%%EOF"

#: Where Chromium's stderr goes in the drawing's folder; how much of its end is read, and how
#: many of its last lines are logged (:func:`_said`).
STDERR_FILE: Final = "chromium-stderr.txt"
STDERR_TAIL: Final = 8000
STDERR_LINES: Final = 5

LOG = logging.getLogger(__name__)

#: One drawing at a time in this process (Streamlit serves every visitor from one).
_LOCK = threading.Lock()

#: Flags for a Chromium with no display, no network and nothing kept.
_FLAGS: Final = (
    "--headless",
    "--disable-gpu",
    "--hide-scrollbars",
    "--mute-audio",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-quic",
    "--no-proxy-server",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--run-all-compositor-stages-before-draw",
)


def chromium_path() -> str | None:
    """The Chromium to draw with, or None when there is none.

    ``$JIEGUI_CHROMIUM`` when set (None if it names no file), else the first of
    :data:`CANDIDATES` on the ``PATH``.
    """
    chosen = os.environ.get(settings.CHROMIUM_ENV, "").strip()
    if chosen:
        return chosen if Path(chosen).is_file() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def render_png(
    html: str, *, width: int, height: int, scale: float = 2.0, timeout_s: float = TIMEOUT_S
) -> bytes:
    """Draw a page as a PNG picture of ``width × scale`` by ``height × scale`` pixels.

    Parameters
    ----------
    html
        A whole HTML document that needs no network (scripts and styles inline).
    width, height
        The window it is laid out in, in CSS pixels.
    scale
        Device pixels per CSS pixel (2: sharp enough to print at about 190 dpi on A4).
    timeout_s
        Seconds before Chromium is stopped.

    Returns
    -------
    bytes
        The PNG file.

    Raises
    ------
    geo.errors.RenderError
        Chromium is missing (:class:`~geo.errors.ChromiumMissingError`), busy with another
        drawing (:class:`~geo.errors.RenderBusyError`), too slow
        (:class:`~geo.errors.RenderTimeoutError`), or made no picture.
    """
    if width <= 0 or height <= 0 or not 0 < scale <= 4:
        raise RenderError(
            Bilingual(
                f"A picture of {width} × {height} px at scale {scale} cannot be drawn.",
                f"无法绘制 {width} × {height} 像素、缩放 {scale} 倍的图片，"
                "请给出正的宽高和 0 到 4 之间的缩放。",
            )
        )
    return _render(
        html,
        output="map.png",
        flags=(
            f"--window-size={width},{height}",
            f"--force-device-scale-factor={scale:g}",
            "--screenshot={output}",
        ),
        signature=PNG_SIGNATURE,
        end=PNG_END,
        timeout_s=timeout_s,
    )


def render_pdf(html: str, *, timeout_s: float = TIMEOUT_S) -> bytes:
    """Print a page as a PDF document, with no header or footer of the browser's own.

    The page's size is its own (a CSS ``@page`` rule); the window it is laid out in is
    A4 landscape at 96 px per inch (1123 × 794 px), which such a sheet is made for.

    Raises
    ------
    geo.errors.RenderError
        As :func:`render_png`.
    """
    return _render(
        html,
        output="map.pdf",
        flags=("--window-size=1123,794", "--no-pdf-header-footer", "--print-to-pdf={output}"),
        signature=PDF_SIGNATURE,
        end=PDF_END,
        timeout_s=timeout_s,
    )


def _render(
    html: str,
    *,
    output: str,
    flags: tuple[str, ...],
    signature: bytes,
    end: bytes,
    timeout_s: float,
) -> bytes:
    """Write the page to a temporary folder, run Chromium on it, read the file it made."""
    chromium = chromium_path()
    if chromium is None:
        raise ChromiumMissingError(
            Bilingual(
                "Chromium is not installed on this server, so the map cannot be drawn as PNG "
                "or PDF; install it (Debian: apt-get install chromium) or set JIEGUI_CHROMIUM.",
                "本服务器没有安装 Chromium，无法把地图输出为 PNG 或 PDF；"
                "请安装它（Debian：apt-get install chromium），或设置 JIEGUI_CHROMIUM。",
            )
        )
    if not _LOCK.acquire(timeout=WAIT_S):
        raise RenderBusyError(
            Bilingual(
                "Another map is being drawn on this server; try again in a moment.",
                "服务器正在输出另一张地图，请稍后再试。",
            )
        )
    try:
        with tempfile.TemporaryDirectory(prefix="jiegui-render-") as folder:
            work = Path(folder)
            page = work / "sheet.html"
            page.write_text(html, encoding="utf-8")
            result = work / output
            deadline = time.monotonic() + timeout_s
            for attempt in range(1, ATTEMPTS + 1):
                command = [
                    chromium,
                    *_FLAGS,
                    *(["--no-sandbox"] if _is_root() else []),
                    f"--user-data-dir={work / f'profile-{attempt}'}",
                    f"--virtual-time-budget={PAGE_TIME_MS}",
                    *(flag.format(output=result) for flag in flags),
                    page.as_uri(),
                ]
                share = (deadline - time.monotonic()) / (ATTEMPTS - attempt + 1)
                data = _run(command, work, result, end, share)
                if data is not None and not data.startswith(signature):
                    raise RenderError(
                        Bilingual(
                            "Chromium ended without drawing the map; try again.",
                            "Chromium 没有画出地图就退出了，请再试一次。",
                        )
                    )
                if data is not None:
                    return data
                LOG.warning(
                    "Chromium drew nothing in %.1f s (run %d of %d) and was stopped; it said: %s",
                    share,
                    attempt,
                    ATTEMPTS,
                    _said(work),
                )
                result.unlink(missing_ok=True)
            raise RenderTimeoutError(
                Bilingual(
                    f"Drawing the map took longer than {timeout_s:g} s and was stopped; show "
                    "fewer layers or a smaller area and try again.",
                    f"地图绘制超过 {timeout_s:g} 秒，已被中止；请少显示几个图层或缩小范围后重试。",
                )
            )
    finally:
        _LOCK.release()


def _is_root() -> bool:
    """Whether this process runs as root: Chromium then refuses to start with its sandbox."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _run(command: list[str], home: Path, result: Path, end: bytes, limit_s: float) -> bytes | None:
    """Run Chromium once, in a process group of its own, and stop the whole group after.

    Returns
    -------
    bytes or None
        What Chromium left in ``result`` (empty when nothing) once it has exited, or once
        the file is whole (ends with ``end``) and unchanged for one look though Chromium
        still runs; None when neither happened within ``limit_s`` seconds.
    """
    env = {**os.environ, "HOME": str(home)}  # nothing written to the server user's home
    with (home / STDERR_FILE).open("ab") as stderr:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=env,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + limit_s
        seen = b""
        while time.monotonic() < deadline:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=POLL_S)
                return result.read_bytes() if result.is_file() else b""
            data = result.read_bytes() if result.is_file() else b""
            if data and data == seen and data.rstrip().endswith(end):
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=EXIT_GRACE_S)
                if process.poll() is None:
                    LOG.warning("Chromium wrote %s whole but did not exit; stopped", result.name)
                return data
            seen = data
        return None
    finally:
        _stop_group(process)


def _said(home: Path) -> str:
    """The last lines Chromium wrote on stderr, on one line, for the log.

    Its complaints about D-Bus (no system bus on a server; every run writes them) are left
    out: they said nothing about the hangs seen (docs/share-and-print.md).
    """
    with contextlib.suppress(OSError):
        text = (home / STDERR_FILE).read_bytes()[-STDERR_TAIL:].decode("utf-8", "replace")
        lines = [line for line in text.splitlines() if line.strip() and "dbus" not in line]
        return " | ".join(lines[-STDERR_LINES:]) or "nothing"
    return "nothing"


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """Kill what is left of Chromium's process group (its helpers outlive it at times)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
