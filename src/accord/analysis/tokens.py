"""Words of an initiative text: the tokens that carry meaning in planning lists (pure)."""

from __future__ import annotations

import re
from functools import lru_cache

from accord.analysis.stop_words import STOP_WORDS, guess_language

# A word: letters or digits, joined by inner hyphens, slashes or ampersands ("self-serve",
# "order-status", "A/B", "CI/CD", "R&D") and by a point or comma between digits ("2.5",
# "10,000").  Apostrophes split ("l'équipe" -> "l", "équipe") so elided articles are
# stop words.  Without the slash, "A/B" became "a" (a stop word) and "b".
_WORD = re.compile(r"\w+(?:(?:[-/&]|(?<=\d)[.,](?=\d))\w+)*")


def content_words(text: str) -> list[str]:
    """Lower-cased words of ``text`` without the stop words of its guessed language
    (:func:`accord.analysis.stop_words.guess_language`; none dropped when it has none).

    >>> content_words("A/B-testing tool for the order-status page, 2.5 FTE")
    ['a/b-testing', 'tool', 'order-status', 'page', '2.5', 'fte']
    >>> content_words("Migrer le centre d'aide vers le nouveau CMS")
    ['migrer', 'centre', 'aide', 'cms']
    """
    return list(_content_words(text))


# One text is split several times per analysis (TF-IDF terms, evidence, word vectors,
# themes): at 1,500 workshop ideas the splits cost 0.5 s before they were remembered.
@lru_cache(maxsize=65_536)
def _content_words(text: str) -> tuple[str, ...]:
    words = _WORD.findall(text.lower())
    language = guess_language(words)
    if language is None:
        return tuple(words)
    stop = STOP_WORDS[language]
    return tuple(w for w in words if w not in stop)
