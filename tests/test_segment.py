"""rjieba (jieba's Rust port) segments the seeds as jieba does, so it may stand in for it."""

from __future__ import annotations

import jieba
import rjieba

from glossary import segment


def test_rjieba_agrees_with_jieba_on_the_seeds(cleaned_seeds):
    words = ["两个维护", "中国式现代化", "专门协商机构", "凝聚共识"]
    tokenizer = jieba.Tokenizer()
    port = rjieba.Jieba()
    for word in words:
        tokenizer.add_word(word)
        port.add_word(word, None, None)
    same = total = 0
    for document in cleaned_seeds.values():
        for sentence in document.sentences:
            ours, theirs = port.cut(sentence.text), tokenizer.lcut(sentence.text)
            total += 1
            same += ours == theirs
    assert total > 200
    assert same / total >= 0.97, f"{same}/{total} sentences segmented alike"


def test_added_words_stay_whole():
    segment.use_words(["两个维护", "中国式现代化"])
    assert "两个维护" in segment.cut("坚决做到两个维护")
    assert "中国式现代化" in segment.cut("推进中国式现代化")
    plain = segment.Segmenter()
    assert "中国式现代化" not in plain.cut("推进中国式现代化")
