"""Text as every backend indexes and queries it: folded, split into words, and the word rule.

The minimal Elasticsearch distribution has no analysis plugins, so the folding happens here, in
Python, for the database and the Elasticsearch backend alike (DESIGN §5).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

WORD_RE = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, accents removed: 'Café Één' → 'cafe een'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """The searchable words of a text, as every backend indexes and queries them."""
    return WORD_RE.findall(fold(text))


def words_match(wanted: Sequence[str], found: Sequence[str]) -> bool:
    """DESIGN §4.1's word rule: every wanted word is one of the words found; the last wanted word
    may be the start of one ("schild" finds "schilder"). Nothing wanted matches nothing."""
    if not wanted:
        return False
    *whole, last = wanted
    return all(word in found for word in whole) and any(w.startswith(last) for w in found)


def tag(kind: str, value: object) -> str:
    """One filter word of the database backend (a one-letter kind and [a-z0-9]):
    ``tag("m", "GM0505")`` → ``mgm0505``."""
    return kind + "".join(WORD_RE.findall(fold(str(value))))
