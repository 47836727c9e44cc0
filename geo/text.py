"""Text shown to people, in English and Chinese.

Every label and sentence the engine hands out for a person to read (a counting basis's
label, the caption beside a figure, why a border is not covered) comes in both languages
as a :class:`Bilingual`; the page or the command line picks one, or prints both.
"""

from __future__ import annotations

from dataclasses import dataclass

#: How the engine's sentences name the command line, in a command to copy (the fetch that
#: covers a border, the count that lists interface ids). The engine does not know how the
#: user called it (the page has no command); the command line puts the name the user typed
#: (``jiegui`` or ``python -m geo``) in its place as it prints (:func:`geo.cli.as_typed`).
COMMAND = "python -m geo"


@dataclass(frozen=True)
class Bilingual:
    """One text in English (``en``) and Chinese (``zh``).

    Examples
    --------
    >>> Bilingual("open", "已通车").as_dict()
    {'en': 'open', 'zh': '已通车'}
    >>> str(Bilingual("open", "已通车"))
    'open (已通车)'
    """

    en: str
    zh: str

    def as_dict(self) -> dict[str, str]:
        """``{"en": ..., "zh": ...}``, the form the JSON output carries."""
        return {"en": self.en, "zh": self.zh}

    def __str__(self) -> str:
        """Both, the English first and the Chinese in brackets (for the command line)."""
        return f"{self.en} ({self.zh})"


def as_bilingual(text: str | Bilingual) -> Bilingual:
    """``text`` as a :class:`Bilingual`: a plain string (a file name, an id) reads the same in both.

    Examples
    --------
    >>> as_bilingual("a.osm")
    Bilingual(en='a.osm', zh='a.osm')
    """
    return text if isinstance(text, Bilingual) else Bilingual(text, text)


__all__ = ["COMMAND", "Bilingual", "as_bilingual"]
