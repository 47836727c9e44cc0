"""The language one page run is shown in: one choice per visitor, read by every text module.

Streamlit runs each visitor's page in a thread of its own, many at once on a shared server,
so the language cannot be a module constant. The page sets it once at the top of every run
(:func:`use`), from the visitor's choice, and the text modules (:mod:`app.labels`,
:mod:`app.years_text`) read it with :func:`current`. A :class:`contextvars.ContextVar`
keeps one visitor's choice out of another's run; a thread that never set it reads English.

:func:`from_locale` turns a browser's language tag (``zh-CN``, ``zh-Hant-TW``, ``en-GB``)
into the page's language, for a first visit that has made no choice yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from geo.labels import LANGUAGES, Language

_CURRENT: ContextVar[Language] = ContextVar("jiegui_language", default="en")


def current() -> Language:
    """The language of the run in this thread (English until :func:`use` sets one)."""
    return _CURRENT.get()


def use(lang: Language) -> None:
    """Show this run's texts in ``lang``.

    Raises
    ------
    ValueError
        If ``lang`` is not one of :data:`geo.labels.LANGUAGES`.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    _CURRENT.set(lang)


@contextmanager
def speaking(lang: Language) -> Iterator[None]:
    """Texts in ``lang`` inside the ``with`` block, the language before it after.

    For a text that must be in one language whatever the page's (and for tests).

    Examples
    --------
    >>> with speaking("zh"):
    ...     current()
    'zh'
    >>> current()
    'en'
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    token = _CURRENT.set(lang)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def from_locale(tag: str | None, default: Language = "en") -> Language:
    """The page's language for a browser language tag; ``default`` when it names neither.

    Examples
    --------
    >>> from_locale("zh-CN"), from_locale("en-GB"), from_locale(None, "zh"), from_locale("fr")
    ('zh', 'en', 'zh', 'en')
    """
    if not tag:
        return default
    primary = tag.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else default
