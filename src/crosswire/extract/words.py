"""Counting words in any script."""

from __future__ import annotations

import re

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
CJK_CHARS_PER_WORD = 2  # a rough word count for scripts written without spaces


def n_words(text: str) -> int:
    """Words in ``text``, counting runs of Chinese/Japanese/Korean characters as about two per word."""
    cjk = len(CJK.findall(text))
    return len(CJK.sub(" ", text).split()) + -(-cjk // CJK_CHARS_PER_WORD)
