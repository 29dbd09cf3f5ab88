"""English function words left out of word n-grams when comparing initiative texts.

Articles, pronouns, prepositions, conjunctions, auxiliary and modal verbs and a few
adverbs of degree: words that say how a sentence is built, not what it is about.  The
list is accord's own and deliberately holds no content words: general-purpose lists
such as scikit-learn's "english" list (from the Glasgow Information Retrieval Group)
also drop words like *system*, *bill*, *fire* or *interest*, which carry meaning in
initiative titles (Nothman, Qin & Yurchak 2018, "Stop word lists in free open-source
software packages", NLP-OSS workshop, document such surprises).
"""

from __future__ import annotations

ENGLISH_STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are as at
    be because been before being below between both but by
    can could did do does doing down during
    each either else etc ever every few for from further
    had has have having he her here hers herself him himself his how however
    i if in into is it its itself just
    me might more most much must my myself
    neither no nor not now of off on once only onto or other others our ours ourselves
    out over own per same shall she should so some such
    than that the their theirs them themselves then there these they this those though
    through thus to too under until up upon us very via
    was we were what when where whether which while who whom whose why will with within
    without would yet you your yours yourself yourselves
    """.split()
)
