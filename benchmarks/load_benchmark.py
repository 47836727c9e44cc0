"""Many sessions at once against one server: server time per action, errors, lost connections.

A planning office shares one Jiegui server. This script starts the app as
``scripts/app.sh`` does (``streamlit run server.py``, an empty result cache), opens
``--sessions`` pages (default 20) in one headless Chromium with every host but this one
unresolvable, and lets each page act as a planner would, for ``--minutes`` (default 10),
choosing at random among:

``year``
    one step of the year slider (keyboard), bouncing at the ends of its range;
``border``
    another neighbour in the "Neighbour" box;
``layers``
    the last layer removed from the "Layers" box, or added back;
``row``
    the first row of the interface table selected, or cleared.

For each action it reads the server time of the run it caused from the page's "Page
computed in N ms" caption and the wall time from the action to the page settled. It
counts **errors** (an exception box on the page, or an action whose run never ended within
``--action-timeout`` seconds) and **lost connections** (a page's websocket to the server
closing while the run is on), and samples the server's resident memory every 5 s. It
prints p50/p90/max per action, the counts, and memory over time.

Run: ``.venv/bin/python -m benchmarks.load_benchmark [--sessions 20] [--minutes 10]``
(needs the browser test set-up: ``playwright`` from requirements-dev.txt and
``apt-get install chromium``). The browser runs on the same machine as the server, so on
two cores the pages' own work competes with the server's: the figures are an upper bound
of what the server alone would take.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.helpers import e2e_support as e2e  # the browser-test helpers

ACTIONS = ("year", "border", "layers", "row")
SIDEBAR = '[data-testid="stSidebar"]'

#: What the page shows when an action timed out: the script state, runs seen, the caption,
#: error and exception boxes, and the connection banner.
STATE_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const boxes = (id) => [...document.querySelectorAll(`[data-testid="${id}"]`)]
        .map((e) => e.innerText.slice(0, 80).replace(/\\s+/g, " "));
    return [`script ${app ? app.getAttribute("data-test-script-state") : "?"}`,
            `runs ${window.__jieguiRuns}`,
            `caption ${document.body.innerText.includes("Page computed in")}`,
            `errors ${JSON.stringify(boxes("stAlertContentError"))}`,
            `exceptions ${JSON.stringify(boxes("stException"))}`,
            `status ${JSON.stringify(boxes("stStatusWidget"))}`].join(", ");
}"""


@dataclass
class Tally:
    """What all sessions measured."""

    times: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    browser: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    rss_mb: list[tuple[float, float]] = field(default_factory=list)
    running: bool = True


async def server_ms(page: Any) -> int:
    """The server time of the page's last run, from its caption."""
    text = await page.get_by_text(re.compile(r"Page computed in \d+ ms")).inner_text()
    return int(re.findall(r"\d+", text)[0])


async def act_year(page: Any, state: dict[str, Any]) -> None:
    """One step of the year slider, turning back at the ends of its range."""
    thumb = page.locator(f'{SIDEBAR} [data-testid="stSlider"] input[type="range"]')
    value = int(await thumb.input_value())
    low = int(await thumb.get_attribute("aria-valuemin") or await thumb.get_attribute("min"))
    high = int(await thumb.get_attribute("aria-valuemax") or await thumb.get_attribute("max"))
    step = state.setdefault("year_step", -1)
    if not low <= value + step <= high:
        state["year_step"] = step = -step
    await thumb.focus()
    await page.keyboard.press("ArrowLeft" if step < 0 else "ArrowRight")


async def act_border(page: Any, state: dict[str, Any]) -> None:
    """Another neighbour in the "Neighbour" box."""
    box = page.locator(f'{SIDEBAR} [data-testid="stSelectbox"]').filter(has_text="Neighbour")
    await box.click()
    options = page.get_by_role("option")
    count = await options.count()
    state["neighbour"] = (state.get("neighbour", 0) + 1) % max(count, 1)
    await options.nth(state["neighbour"]).click()


async def act_layers(page: Any, state: dict[str, Any]) -> None:
    """Remove the last layer of the "Layers" box, or add it back."""
    box = page.locator(f'{SIDEBAR} [data-testid="stMultiSelect"]').filter(has_text="Layers")
    removed = state.get("layer_removed")
    if removed:
        field_input = box.locator("input")
        await field_input.click()
        await field_input.fill(removed)
        await page.keyboard.press("Enter")
        await page.keyboard.press("Escape")
        state["layer_removed"] = None
    else:
        name = await box.locator("[data-tag]").last.get_attribute("aria-label")
        await box.get_by_role("button", name=f"Remove {name}").click()
        state["layer_removed"] = name


class BrowserError(Exception):
    """The browser could not do an action, or sent nothing for it (the benchmark's side)."""


class ServerError(Exception):
    """The server did not start or finish the run an action asked for in time."""


class NothingToDo(Exception):
    """The action does not apply to the page as it is (e.g. no table for this border)."""


async def act_row(page: Any, state: dict[str, Any]) -> None:
    """Select the interface table's first row, or clear it again."""
    grid = page.locator('.st-key-interface-table [data-testid="stDataFrame"]')
    if not await grid.count():  # a border without interfaces has no table
        raise NothingToDo
    await grid.scroll_into_view_if_needed()
    box = await grid.bounding_box()
    await page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)


ACT = {"year": act_year, "border": act_border, "layers": act_layers, "row": act_row}


@dataclass
class Wire:
    """What one page's websocket carried, decoded with Streamlit's own protobuf classes.

    Attributes
    ----------
    asked
        Reruns the browser asked for (``BackMsg.rerun_script``): a widget the page took.
    started
        Runs the server started (``ForwardMsg.new_session``).
    finished
        Runs the server finished successfully (``ForwardMsg.script_finished``,
        ``FINISHED_SUCCESSFULLY``; a run cut short by a newer rerun does not count).
    """

    asked: int = 0
    started: int = 0
    finished: int = 0

    def sent(self, payload: str | bytes) -> None:
        """A frame the browser sent."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        if isinstance(payload, bytes) and BackMsg.FromString(payload).HasField("rerun_script"):
            self.asked += 1

    def received(self, payload: str | bytes) -> None:
        """A frame the server sent."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if not isinstance(payload, bytes):
            return
        message = ForwardMsg.FromString(payload)
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.started += 1
        elif kind == "script_finished" and (
            message.script_finished == ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
        ):
            self.finished += 1


async def until(condition: Any, timeout_s: float) -> bool:
    """Whether ``condition()`` became true within ``timeout_s`` (polled every 50 ms)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


#: Seconds the browser has to send the rerun an action asks for before it is done again.
ASK_S = 5.0


async def act_and_wait(
    page: Any, wire: Wire, name: str, state: dict[str, Any], timeout_s: float
) -> float:
    """Do action ``name``, wait until the server has finished a run for it; return its start.

    The browser's and the server's parts are told apart on the websocket (:class:`Wire`):

    * **browser**: an action the browser could not do within Playwright's 30 s (a
      drop-down list that did not open while the pages had the cores), or after which it
      sent no rerun within :data:`ASK_S` (a scripted click on a grid still being laid out,
      a key press to a page busy drawing), is done once more and timed from then, as
      ``interaction_benchmark`` does; a second failure is a *browser* error;
    * **server**: once the rerun was sent, a run must start and finish successfully
      within ``timeout_s``, else it is a *server* error.

    The page is then waited on until it has settled (the wall time includes its drawing).
    """
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    for attempt in (1, 2):
        before = Wire(wire.asked, wire.started, wire.finished)
        started = time.monotonic()
        try:
            await ACT[name](page, state)
        except PlaywrightTimeout:
            if attempt == 2:
                raise BrowserError("could not act twice (its page did not answer)") from None
            await page.keyboard.press("Escape")  # e.g. a drop-down list left open
            continue
        if await until(lambda n=before.asked: wire.asked > n, ASK_S):
            break
        if attempt == 2:
            raise BrowserError(f"sent no rerun for the action twice (within {ASK_S:.0f} s)")
    finished = before.finished
    if not await until(lambda: wire.finished > finished, timeout_s):
        if wire.started == before.started:
            raise ServerError(f"started no run within {timeout_s:.0f} s of the rerun asked")
        raise ServerError(
            f"finished no run within {timeout_s:.0f} s ({await page.evaluate(STATE_JS)})"
        )
    await page.wait_for_selector(e2e.SETTLED, timeout=timeout_s * 1000)
    return started


async def session(number: int, browser: Any, url: str, tally: Tally, args: Any) -> None:
    """One planner: open the page, then act at random until the time is up."""
    page = await browser.new_page(viewport={"width": 1400, "height": 1000})
    live = {"on": False}
    wire = Wire()

    def on_socket(socket: Any) -> None:
        def closed(_: Any) -> None:
            if live["on"] and tally.running:
                tally.lost.append(f"session {number} at {time.strftime('%H:%M:%S')}")

        socket.on("close", closed)
        socket.on("framesent", wire.sent)
        socket.on("framereceived", wire.received)

    page.on("websocket", on_socket)
    rng = random.Random(number)
    state: dict[str, Any] = {}
    await page.goto(url, timeout=180_000)  # twenty pages opening at once
    await page.wait_for_selector(e2e.SETTLED, timeout=180_000)
    await page.get_by_text(re.compile(r"Page computed in")).wait_for(timeout=180_000)
    live["on"] = True
    deadline = time.monotonic() + args.minutes * 60
    while time.monotonic() < deadline:
        name = rng.choice(ACTIONS)
        try:
            started = await act_and_wait(page, wire, name, state, args.action_timeout)
            wall = time.monotonic() - started
            ms = await server_ms(page)
        except NothingToDo:
            continue
        except BrowserError as exc:
            tally.browser.append(f"session {number} {name}: the browser {exc}")
            await asyncio.sleep(1)
            continue
        except Exception as exc:  # the benchmark counts it and goes on
            tally.errors.append(f"session {number} {name}: {exc or type(exc).__name__}")
            if args.shots:
                shot = e2e.ARTIFACTS / f"load-error-{number}-{len(tally.errors)}.png"
                await page.screenshot(path=str(shot), full_page=True)
            await asyncio.sleep(1)
            continue
        if await page.locator('[data-testid="stException"]').count():
            tally.errors.append(f"session {number} {name}: an exception box on the page")
        tally.times.setdefault(name, []).append((ms, wall))
        await asyncio.sleep(rng.uniform(0.5, args.think_s))
    live["on"] = False
    await page.close()


def sample_rss(pid: int, tally: Tally, started: float) -> None:
    """The server's resident memory every 5 s, while the run is on."""
    status = Path(f"/proc/{pid}/status")
    while tally.running:
        try:
            kb = next(int(line.split()[1]) for line in status.read_text().splitlines()
                      if line.startswith("VmRSS"))
        except (OSError, StopIteration):
            return
        tally.rss_mb.append((time.monotonic() - started, kb / 1024))
        time.sleep(5)


async def run(args: Any) -> Tally:
    """Start the server and the sessions; return what they measured."""
    from playwright.async_api import async_playwright

    tally = Tally()
    with e2e.streamlit_app(e2e.SERVER) as app:
        started = time.monotonic()
        sampler = threading.Thread(
            target=sample_rss, args=(app.process.pid, tally, started), daemon=True
        )
        sampler.start()
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=e2e.chromium_path(), args=[*e2e.CHROMIUM_ARGS, e2e.OFFLINE_FLAG]
            )
            await asyncio.gather(
                *(session(n, browser, app.url, tally, args) for n in range(args.sessions))
            )
            await browser.close()
        tally.running = False
        sampler.join(timeout=10)
    return tally


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(tally: Tally, args: Any) -> None:
    """Print per-action figures, errors, lost connections and memory."""
    print(f"== {args.sessions} sessions for {args.minutes} min, {os.cpu_count()} cores")
    print("action   count   server ms p50 / p90 / max     to settled s p50 / p90 / max")
    for name in ACTIONS:
        values = tally.times.get(name, [])
        if not values:
            print(f"{name:<8} {0:5d}")
            continue
        ms = [float(m) for m, _ in values]
        wall = [w for _, w in values]
        print(
            f"{name:<8} {len(values):5d}   {statistics.median(ms):6.0f} / "
            f"{percentile(ms, 0.9):6.0f} / {max(ms):6.0f}     "
            f"{statistics.median(wall):5.2f} / {percentile(wall, 0.9):5.2f} / {max(wall):5.2f}"
        )
    print(f"errors: {len(tally.errors)} (the server's: an exception box, no run started or")
    print("  finished for a rerun asked, or anything else that went wrong)")
    for line in tally.errors[:20]:
        print(f"  {line}")
    print(f"actions the browser missed twice: {len(tally.browser)} (the benchmark's own pages;")
    print("  no rerun reached the server, so they are not the server's)")
    for line in tally.browser[:10]:
        print(f"  {line}")
    print(f"lost connections: {len(tally.lost)}")
    for line in tally.lost[:20]:
        print(f"  {line}")
    if tally.rss_mb:
        first, peak, last = tally.rss_mb[0][1], max(m for _, m in tally.rss_mb), tally.rss_mb[-1][1]
        print(f"server RSS MB: first {first:.0f}, peak {peak:.0f}, last {last:.0f}")
        step = max(1, len(tally.rss_mb) // 10)
        print("  " + ", ".join(f"{t:.0f}s {m:.0f}" for t, m in tally.rss_mb[::step]))


def main() -> None:
    """Parse the options, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="pages open at once")
    parser.add_argument("--minutes", type=float, default=10.0, help="how long each acts")
    parser.add_argument("--think-s", type=float, default=3.0, help="most pause between actions")
    parser.add_argument(
        "--action-timeout", type=float, default=60.0, help="seconds before an action is an error"
    )
    parser.add_argument(
        "--shots", action="store_true", help="save a screenshot of each error in artifacts/"
    )
    args = parser.parse_args()
    reason = e2e.browser_skip_reason()
    if reason:
        sys.exit(f"cannot run the browser: {reason}")
    with e2e.empty_result_cache():  # the server inherits it: nothing stored
        tally = asyncio.run(run(args))
    report(tally, args)


if __name__ == "__main__":
    main()
