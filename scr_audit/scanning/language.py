"""Plain English, measured: a readability score, and the acronyms a reader is left to guess.

The score is the Flesch Reading Ease (Flesch, R. 1948, "A new readability yardstick",
Journal of Applied Psychology 32(3): 221-233):

    206.835 - 1.015 x (words / sentences) - 84.6 x (syllables / words)

on the report's running text (not its headings, tables, contents page or appendices).
Syllables are counted by the usual rule of thumb (groups of vowels, a silent final "e"
dropped), which is what readability tools do for English. The formula is computed here
rather than taken from a library: the readability packages available either fetch word
lists over the network on first use or pull in large language toolkits, and scr-audit
never touches the network. 60 to 70 is "standard" (plain English for most adults); below
50 is "fairly difficult", below 30 "very difficult" (Flesch's own bands). It is a guide
to the assessor, never an answer.

An acronym counts as explained when a glossary lists it or the text spells it out beside
it ("Clinical Commissioning Group (CCG)", "CCG (Clinical Commissioning Group)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_VOWELS = re.compile(r"[aeiouy]+")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]{1,6}(?:s\b|\b)")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
#: Capitalised words that are not acronyms: a pronoun, English words set in capitals.
_NOT_ACRONYMS = {"I", "A", "OK", "AM", "PM", "TV", "UK", "USA", "ID"}

BANDS = ((90, "very easy"), (80, "easy"), (70, "fairly easy"), (60, "standard: plain English"), (50, "fairly difficult"), (30, "difficult"), (-1000, "very difficult"))


@dataclass(frozen=True)
class Readability:
    score: float
    words: int
    sentences: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / max(1, self.sentences)

    @property
    def band(self) -> str:
        return next(name for low, name in BANDS if self.score >= low)


@lru_cache(maxsize=8192)
def syllables(word: str) -> int:
    w = word.lower().strip("'’-")
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(1, len(_VOWELS.findall(w)))


def readability(texts: Iterable[str]) -> Optional[Readability]:
    """Flesch Reading Ease over the texts; None when there is too little to measure (100 words)."""
    words = sentences = syll = 0
    for text in texts:
        found = _WORD.findall(text)
        if not found:
            continue
        words += len(found)
        syll += sum(syllables(w) for w in found)
        sentences += max(1, len(_SENTENCE_END.findall(text)))
    if words < 100:
        return None
    score = 206.835 - 1.015 * (words / sentences) - 84.6 * (syll / words)
    return Readability(round(score, 1), words, sentences)


@dataclass(frozen=True)
class Acronym:
    text: str
    page: int
    uses: int


def acronyms(pages_texts: Iterable[tuple[int, str]], explained: set[str]) -> tuple[list[Acronym], list[str]]:
    """(acronyms used and not explained, with the page each first appears on; those explained)."""
    first: dict[str, int] = {}
    uses: dict[str, int] = {}
    spelled: set[str] = set()
    for page, text in pages_texts:
        letters = re.sub(r"[^A-Za-z]", "", text)
        if letters and letters.isupper() and len(text.split()) <= 12:
            continue  # a heading in capitals, not a run of acronyms
        for m in _ACRONYM.finditer(text):
            raw = m.group(0)
            word = raw[:-1] if raw.endswith("s") and raw[:-1].isupper() else raw
            if len(word) < 2 or word in _NOT_ACRONYMS or _ROMAN.match(word) or word.isdigit() or sum(c.isalpha() for c in word) < 2:
                continue
            first.setdefault(word, page)
            uses[word] = uses.get(word, 0) + 1
            if _spelled_out(text, m.start(), m.end(), word):
                spelled.add(word)
    known = {a.upper() for a in explained} | spelled
    unexplained = [Acronym(a, first[a], uses[a]) for a in first if a not in known]
    unexplained.sort(key=lambda a: (a.page, a.text))
    return unexplained, sorted(a for a in first if a in known)


def _spelled_out(text: str, start: int, end: int, word: str) -> bool:
    """'Clinical Commissioning Group (CCG)' or 'CCG (Clinical Commissioning Group)'."""
    if start > 0 and text[start - 1] == "(" and text[end : end + 1] == ")":
        before = _WORD.findall(text[max(0, start - 120) : start - 1])
        initials = "".join(w[0] for w in before[-(len(word) + 3) :]).upper()
        return _initials_fit(initials, word)
    after = text[end : end + 140]
    m = re.match(r"\s*\(([^)]{3,120})\)", after)
    if m:
        initials = "".join(w[0] for w in _WORD.findall(m.group(1))).upper()
        return _initials_fit(initials, word)
    return False


def _initials_fit(initials: str, word: str) -> bool:
    letters = "".join(c for c in word if c.isalpha())
    if not letters:
        return False
    # the acronym's letters in order among the initials ("of", "and" may add initials)
    it = iter(initials)
    return all(any(c == x for x in it) for c in letters)
