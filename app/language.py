"""The language one page run is shown in: one choice per visitor, read by every text module.

Streamlit runs each visitor's page in a thread of its own, many at once on a shared server,
so the language cannot be a module constant. The page sets it once at the top of every run
(:func:`use`), from the visitor's choice, and the text modules (:mod:`app.labels`,
:mod:`app.years_text`) read it with :func:`current`. A :class:`contextvars.ContextVar`
keeps one visitor's choice out of another's run; a thread that never set it reads English.

:func:`from_locale` turns a browser's language tag (``zh-CN``, ``zh-Hant-TW``, ``en-GB``)
into the page's language, and :func:`first_language` picks the language a visitor's first
view is in, before any choice in the page: the link's (``?lang=zh``), else the server's
setting (``JIEGUI_LANGUAGE``, :data:`geo.settings.LANGUAGE`), else the browser's, else
English. The switch itself is drawn by :mod:`app.language_switch`; nothing here imports
streamlit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, copy_context
from typing import TypeVar

from geo.labels import LANGUAGES, Language

_CURRENT: ContextVar[Language] = ContextVar("jiegui_language", default="en")

T = TypeVar("T")


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


def in_this_run(func: Callable[[T], str]) -> Callable[[T], str]:
    """``func`` as it reads in this run, whichever thread calls it later.

    For a widget's ``format_func``: Streamlit (and its test harness) may call it outside the
    run's thread, where the run's language (and its places, :mod:`app.page_text`) are not
    set. The wrapper calls ``func`` in a copy of this run's context.

    Examples
    --------
    >>> use("zh"); shown = in_this_run(lambda _: current()); use("en")
    >>> shown(None), current()
    ('zh', 'en')
    """
    context = copy_context()

    def shown(value: T) -> str:
        return context.copy().run(func, value)

    return shown


def first_language(
    *, link: str | None, setting: str | None, locale: str | None
) -> Language:
    """The language a visitor's first view is in, before any choice in the page.

    Parameters
    ----------
    link
        The link's ``lang`` parameter (``"zh"``, ``"en"``, or a tag such as ``zh-CN``);
        ignored when it names neither.
    setting
        The server's setting (:data:`geo.settings.LANGUAGE`), None when unset.
    locale
        The browser's language tag (``st.context.locale``), None when unknown.

    Examples
    --------
    >>> first_language(link="zh", setting="en", locale="en-GB")
    'zh'
    >>> first_language(link="fr", setting=None, locale="zh-CN")
    'zh'
    >>> first_language(link=None, setting="en", locale="zh-CN")
    'en'
    >>> first_language(link=None, setting=None, locale=None)
    'en'
    """
    from_link = _language_of(link)
    if from_link is not None:
        return from_link
    from_setting = _language_of(setting)
    if from_setting is not None:
        return from_setting
    return from_locale(locale)


def _language_of(tag: str | None) -> Language | None:
    """The page's language a tag names, None when it names neither."""
    if not tag:
        return None
    primary = tag.strip().lower().replace("_", "-").split("-")[0]
    return next((lang for lang in LANGUAGES if lang == primary), None)


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
    return _language_of(tag) or default
