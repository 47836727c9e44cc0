"""Exceptions of Jiegui.

Every error a user can cause is a :class:`JieguiError`; its message is one sentence that
names the problem and the fix, in English and Chinese: a :class:`geo.text.Bilingual`, the
only kind of message a :class:`JieguiError` takes. ``str(exc)`` is the English sentence (for
logs, and for code that matched it before); :meth:`JieguiError.text` gives either language.
The CLI prints it in the language chosen (``--lang``, ``JIEGUI_LANGUAGE`` or the locale) and
exits with code 2, without a traceback; the page shows it in the page's language.

:mod:`layers` sits below ``geo`` and does not import it, so its lookup raises its own
:class:`layers.UnknownLayerError`; ``geo`` looks a layer name up with :func:`layer_spec`,
which raises :class:`UnknownLayerError`, both that error and a :class:`JieguiError`.
"""

from __future__ import annotations

from typing import Literal

import layers
from geo.text import Bilingual, as_bilingual
from layers import LayerSpec


class JieguiError(Exception):
    """Base class of every error caused by the user's input or settings.

    Parameters
    ----------
    message
        The one sentence, problem and fix, in English and Chinese.

    Examples
    --------
    >>> exc = InputFileError(Bilingual("File 'a.osm' does not exist.", "文件 'a.osm' 不存在。"))
    >>> str(exc), exc.text("zh")
    ("File 'a.osm' does not exist.", "文件 'a.osm' 不存在。")
    """

    def __init__(self, message: Bilingual) -> None:
        message = as_bilingual(message)  # a plain string, from code not yet converted
        super().__init__(message.en)
        self.message = message

    def text(self, lang: Literal["en", "zh"]) -> str:
        """The sentence in ``lang`` (``"en"`` or ``"zh"``)."""
        return self.message.zh if lang == "zh" else self.message.en

    def __reduce__(self) -> tuple[type[JieguiError], tuple[Bilingual, ...]]:
        """Pickled with its bilingual message (for errors crossing a process pool)."""
        return (type(self), (self.message,))


class InputFileError(JieguiError, OSError):
    """A file is missing, unreadable or of an unsupported format."""


class NoBoundariesError(JieguiError, ValueError):
    """A source holds no usable region boundaries."""


class UnknownRegionError(JieguiError, KeyError):
    """A region name is not in the data; the message lists the known names."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class AmbiguousRegionError(UnknownRegionError):
    """A region name that fits more than one region; the message names them."""


class CRSError(JieguiError, ValueError):
    """A layer has no CRS, or a CRS that cannot be used."""


class InvalidParameterError(JieguiError, ValueError):
    """A parameter is out of range or of the wrong kind."""


class FetchError(JieguiError, RuntimeError):
    """Downloading from an online service failed after the retries."""


class OutputFileError(JieguiError, OSError):
    """An output file cannot be written: the folder, the disk, or a file already there."""


class RenderError(JieguiError, RuntimeError):
    """A page could not be drawn as a picture or a document (:mod:`geo.io.render`)."""


class ChromiumMissingError(RenderError):
    """No Chromium on this machine to draw with."""


class RenderBusyError(RenderError):
    """Another drawing held the server's one drawing slot for too long."""


class RenderTimeoutError(RenderError):
    """A drawing took longer than its time limit and was stopped."""


class ClusterError(JieguiError, ConnectionError):
    """A Dask scheduler cannot be used, or a worker died (:mod:`geo.io.cluster`)."""


class InputTooLargeError(JieguiError, ValueError):
    """An input would take more work than a limit of :mod:`geo.settings` allows.

    A compression bomb, or an extract larger than the limits were set for; the message
    names the setting (an environment variable) and how to raise it.
    """


def short_reason(exc: BaseException) -> str:
    """The first line of an exception message, at most 160 characters.

    For quoting another library's error (osmnx, a parser, the network) inside the one
    sentence of a :class:`JieguiError`.
    """
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


class UnknownLayerError(InvalidParameterError, layers.UnknownLayerError):
    """A layer name that :mod:`layers` does not know; the message lists the known ones.

    It is an :class:`InvalidParameterError` (so a :class:`JieguiError`: the CLI prints it in
    one sentence and exits with code 2, the page shows it in an error box) and a
    :class:`layers.UnknownLayerError`, the error of the lookup it stands for.
    """


def layer_spec(name: str) -> LayerSpec:
    """The layer called ``name`` (:func:`layers.get_layer`), with ``geo``'s error when unknown.

    Every lookup of a name that may come from the user (a ``--layers`` list, ``LAYER=PATH``,
    the ``layer_names`` of a load or a fetch) goes through here.

    Raises
    ------
    UnknownLayerError
        When there is no such layer.
    """
    try:
        return layers.get_layer(name)
    except layers.UnknownLayerError as exc:
        raise UnknownLayerError(Bilingual(str(exc), exc.zh)) from None


class GeometryDataError(JieguiError, ValueError):
    """A file's coordinates or geometries cannot be used.

    Coordinates that are NaN or infinite, outside longitude -180..180 / latitude -90..90
    in a longitude/latitude file (or looking swapped, or like metres), or geometries that
    cannot be read at all.
    """


class RegionNameError(JieguiError, ValueError):
    """Region polygons without a name (missing, null or blank)."""


class PackageError(InputFileError):
    """A fetched package, or the manifest beside it, is not of the expected shape."""


class UnknownInterfaceError(InvalidParameterError):
    """An interface id to close (``resilience --close``) that is no interface of the count.

    The message names the id and where the valid ids are listed (``crossings``).
    """
