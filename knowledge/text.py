"""Splitting text into passages and telling its language."""

from __future__ import annotations

import re

CHUNK_WORDS = 220  # about one embedding window's worth of meaning, with the start embedded
OVERLAP_WORDS = 30
SUPPORTED_LANGUAGES = {"en", "fr", "es", "ar", "ru", "pt", "zh-cn", "zh-tw"}


def chunk_text(text: str, *, size: int = CHUNK_WORDS, overlap: int = OVERLAP_WORDS) -> list[str]:
    """Passages of about `size` words, cut at paragraph ends where possible, overlapping a little."""
    paragraphs = [paragraph.split() for paragraph in re.split(r"\n\s*\n", text) if paragraph.strip()]
    chunks, current = [], []
    for words in paragraphs:
        while words:
            room = size - len(current)
            current.extend(words[:room])
            words = words[room:]
            if len(current) >= size:
                chunks.append(" ".join(current))
                current = current[-overlap:] if words else []
    if current and (not chunks or len(current) > overlap):
        if chunks and len(current) - overlap < size // 2:
            # A short tail joins the passage before it rather than costing an embedding of its own.
            chunks[-1] = chunks[-1] + " " + " ".join(current[overlap:])
        else:
            chunks.append(" ".join(current))
    return chunks


# The commonest words of the languages most of the network writes in. When they settle the question
# clearly, langdetect (far slower) is not asked.
COMMON_WORDS = {
    "en": set("the of and to in is that for are with as on by this be from which".split()),
    "fr": set("le la les des et du en est que une dans pour par sur au qui aux".split()),
    "es": set("el la los las y en que del por para con una es se al".split()),
    "pt": set("o os as e do da dos das em que para com uma por ao não".split()),
}


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's main language, or "" when it cannot be told."""
    words = [word.lower() for word in text.split()[:150]]
    counts = {language: sum(word in common for word in words) for language, common in COMMON_WORDS.items()}
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if ranked[0][1] >= 8 and ranked[0][1] >= 3 * ranked[1][1]:
        return ranked[0][0]
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0  # langdetect is random by default; the same text must give the same answer
    try:
        code = detect(" ".join(text.split()[:200]))
    except LangDetectException:
        return ""
    return code[:2]
