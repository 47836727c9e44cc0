"""The per-file reading tasks on a Dask cluster (``--scheduler``, ``JIEGUI_DASK_SCHEDULER``).

The scheduler's address comes from the command line's operator only: ``--scheduler`` or the
environment variable :data:`geo.settings.DASK_SCHEDULER`. The page never reads either, and
no visitor can name an address: a Dask client runs code the cluster sends back (results are
pickles), so it must only ever connect to a cluster its operator runs (docs/dask.md).

Before the client is made, the address is checked and the scheduler asked who it is, within
:data:`CONNECT_TIMEOUT_S`: a mistyped address, a port where nothing listens and a port where
something else listens (which the Dask client itself would wait on for ever) each end in one
sentence (:class:`geo.errors.ClusterError`).

``distributed`` is imported only when a scheduler is named: it adds about 0.25 s to every
start of the command line otherwise; asyncio, used only with it, likewise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from geo.errors import ClusterError, short_reason
from geo.io.osm_files import FileMap
from geo.text import Bilingual

if TYPE_CHECKING:
    from distributed import Client, Security

T = TypeVar("T")

#: Seconds to reach the scheduler and hear it say it is one.
CONNECT_TIMEOUT_S = 10.0


def _refused(address: str, reason: str, reason_zh: str) -> ClusterError:
    return ClusterError(
        Bilingual(
            f"Cannot use the Dask scheduler {address!r} ({reason}); give the address of a "
            "running `dask scheduler` as --scheduler tcp://HOST:8786 (or in "
            "JIEGUI_DASK_SCHEDULER), or leave both out to read on this machine.",
            f"无法使用 Dask 调度器 {address!r}（{reason_zh}）：请用 --scheduler tcp://主机:8786"
            "（或环境变量 JIEGUI_DASK_SCHEDULER）给出正在运行的 `dask scheduler` 的地址，"
            "或两者都不给，在本机读取。",
        )
    )


async def _identity(address: str, security: Security, timeout_s: float) -> dict[str, Any]:
    """The scheduler's answer to ``identity`` (its type, id, workers)."""
    import asyncio

    from distributed.core import rpc

    remote = rpc(address, connection_args=security.get_connection_args("client"), timeout=timeout_s)
    try:
        answer: dict[str, Any] = await asyncio.wait_for(remote.identity(), timeout_s)
        return answer
    finally:
        await remote.close_rpc()


def connect(address: str, *, timeout_s: float | None = None) -> Client:
    """A Dask client of the scheduler at ``address``, checked first (module docstring).

    TLS (``tls://``) takes its certificates from Dask's own configuration
    (``distributed.comm.tls``), as ``dask scheduler`` does.

    Parameters
    ----------
    address
        The scheduler's address, e.g. ``tcp://HOST:8786``.
    timeout_s
        Seconds to wait for it; :data:`CONNECT_TIMEOUT_S` when None.

    Raises
    ------
    ClusterError
        When the address is malformed, nothing answers there within ``timeout_s``, or what
        answers is not a Dask scheduler.
    """
    import asyncio

    from distributed import Client, Security
    from distributed.comm.addressing import parse_address

    timeout_s = CONNECT_TIMEOUT_S if timeout_s is None else timeout_s
    try:
        parse_address(address, strict=True)
        security = Security()
        answer = asyncio.run(_identity(address, security, timeout_s))
    except ValueError as exc:
        raise _refused(address, short_reason(exc), f"地址格式不对：{short_reason(exc)}") from None
    except (OSError, TimeoutError) as exc:
        raise _refused(
            address,
            f"no answer within {timeout_s:g} s: {short_reason(exc)}",
            f"{timeout_s:g} 秒内没有应答",
        ) from None
    except Exception as exc:  # a TLS setting missing, a protocol error: still one sentence
        raise _refused(address, short_reason(exc), short_reason(exc)) from None
    if not isinstance(answer, dict) or answer.get("type") != "Scheduler":
        raise _refused(address, "what answers is not a Dask scheduler", "应答的不是 Dask 调度器")
    try:
        return Client(address, timeout=timeout_s, security=security, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise _refused(address, short_reason(exc), short_reason(exc)) from None


def _on_cluster(client: Client) -> FileMap:
    """The :data:`~geo.io.osm_files.FileMap` that runs one task per file on ``client``'s cluster."""
    from distributed import KilledWorker

    def run(work: Callable[[Path], T], paths: Sequence[Path]) -> list[T]:
        futures = client.map(work, list(paths), pure=False)
        try:
            results: list[T] = client.gather(futures)
        except KilledWorker as exc:
            raise ClusterError(
                Bilingual(
                    f"A Dask worker died while reading ({short_reason(exc)}), most likely out "
                    "of memory; give the workers more memory (dask worker --memory-limit) or "
                    "cut the input into smaller files.",
                    f"Dask 工作进程在读取时退出（{short_reason(exc)}），多半是内存不足："
                    "请给工作进程更多内存（dask worker --memory-limit），或把输入切成更小的文件。",
                )
            ) from None
        finally:
            client.cancel(futures)
        return results

    return run


@contextmanager
def cluster_map(address: str) -> Iterator[FileMap]:
    """Connect to the scheduler at ``address``; yield its :data:`FileMap`; close on leaving.

    Raises
    ------
    ClusterError
        As :func:`connect`, and when a worker dies during a task.
    """
    client = connect(address)
    try:
        yield _on_cluster(client)
    finally:
        client.close()


__all__ = ["CONNECT_TIMEOUT_S", "cluster_map", "connect"]
