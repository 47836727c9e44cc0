"""Exceptions of Jiegui.

Every error a user can cause is a :class:`JieguiError`; its message is one sentence that
names the problem and the fix. The CLI prints it and exits with code 2, without a traceback.
"""

from __future__ import annotations


class JieguiError(Exception):
    """Base class of every error caused by the user's input or settings."""


class InputFileError(JieguiError, OSError):
    """A file is missing, unreadable or of an unsupported format."""


class NoBoundariesError(JieguiError, ValueError):
    """A source holds no usable region boundaries."""


class UnknownRegionError(JieguiError, KeyError):
    """A region name is not in the data; the message lists the known names."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class CRSError(JieguiError, ValueError):
    """A layer has no CRS, or a CRS that cannot be used."""


class InvalidParameterError(JieguiError, ValueError):
    """A parameter is out of range or of the wrong kind."""


class FetchError(JieguiError, RuntimeError):
    """Downloading from an online service failed after the retries."""
