"""Function words left out of word n-grams, for English, German, French and Spanish.

The lists come from two maintained packages, not from a list of accord's own, each used
where its list holds function words only (Nothman, Qin & Yurchak 2018, "Stop word lists in
free open-source software packages", NLP-OSS workshop, show how often lists drop content):

* English from ``stopwords`` (ISC, 175 words): ``stop-words``' English list (1,333 words)
  drops *system*, *order*, *test*, *help*, *site* and *web*, which name initiatives;
* German, French and Spanish from ``stop-words`` (BSD-3-Clause): ``stopwords``' Spanish list
  lacks *de*, *la* and *al*.  Known content words in these lists: *nuevo*/*nouveau* ("new"),
  *estado* ("state"), *essai* ("trial").

The lists are read once, from the installed packages' data, when this module is imported;
the analysis itself does no I/O.

Initiative lists rarely say their language, so each text's language is guessed by which
list covers most of its words (stop-word counting, Grefenstette 1995, "Comparing two
language identification schemes", JADT).  A text in none of these languages keeps every
word: nothing is dropped, which is the documented fallback.
"""

from __future__ import annotations

from collections.abc import Sequence

import stop_words as _stop_words
import stopwords as _stopwords

# ISO 639-1 code of each supported language.
LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es")


def _clean(words: Sequence[str]) -> frozenset[str]:
    return frozenset(w.strip().lower() for w in words if w.strip())


STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _clean(_stopwords.get_stopwords("en")),
    **{code: _clean(_stop_words.get_stop_words(code)) for code in LANGUAGES[1:]},
}
ENGLISH_STOP_WORDS: frozenset[str] = STOP_WORDS["en"]


def guess_language(tokens: Sequence[str]) -> str | None:
    """The supported language whose stop words cover most ``tokens`` (None: no stop word
    of any; ties go to the first of :data:`LANGUAGES`).

    >>> guess_language(["migrer", "le", "centre", "d", "aide", "vers", "le", "cms"])
    'fr'
    >>> guess_language(["cms", "migration"]) is None
    True
    """
    best, best_hits = None, 0
    for code in LANGUAGES:
        hits = sum(t in STOP_WORDS[code] for t in tokens)
        if hits > best_hits:
            best, best_hits = code, hits
    return best
