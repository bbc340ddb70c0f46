"""Mining, ranking: how likely a mined entry is a term a translator wants, learnt from judgments.

The statistical score (C-value × documents) says how much of the corpus an entry covers, not
whether it is a term: 农业生产 and 政策措施 are as frequent and as cohesive as 安全生产 and
宏观调控. A logistic model over what is known of an entry after screening (its frequency and
spread, length, category, cohesion, boundary entropy, parts of speech, whether the reference,
CC-CEDICT or jieba's general dictionary list it) gives the chance that a terminologist judges
it good. The model is trained on the People's Daily judgments only
(benchmarks/train_termhood.py, tests/data/judged_pd.tsv) and its figures ship as data
(data/termhood.json): the Government Work Reports, the corpus precision is judged on, never
shaped it.

Every feature is a function of the merged counts and shipped dictionaries, so a corpus built
one document at a time gets the same figure as one build of it all.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

from . import segment
from .data import data_text
from .shapes import CATEGORY_COINAGE, CATEGORY_MEETING, CATEGORY_ORGANISATION, CATEGORY_SLOGAN

MODEL_FILE = "termhood.json"
_VERBAL_START = frozenset({"v", "vd", "d", "ad", "p", "c"})
_VERBAL_END = frozenset({"v", "vd", "d", "ad", "a", "ul", "uj", "f"})
_IDIOM_TAGS = frozenset({"l", "i"})
_CATEGORIES = {"slogan": CATEGORY_SLOGAN, "meeting": CATEGORY_MEETING, "coinage": CATEGORY_COINAGE,
               "organisation": CATEGORY_ORGANISATION}


def features(term: str, category: str, frequency: int, documents: int, score: float,
             cohesion: float | None, entropy: float | None, partners: int | None = None,
             bound: float | None = None) -> dict[str, float]:
    """What the model reads of one entry; `score` is the statistical score (per million tokens)."""
    from .cedict import cedict
    from .english import reference_entry

    background, _ = segment.background_frequencies()
    words = segment.cut(term)
    tags = [segment.part_of_speech(word) for word in words]
    several = len(tags) > 1
    values = {
        "log_frequency": math.log(frequency + 1),
        "log_documents": math.log(documents + 1),
        "document_share": math.log((documents + 1) / (frequency + 1)),
        "log_score": math.log(max(score, 0.0) + 1),
        "characters": min(len(term), 10) / 10,
        "words": min(len(words), 5) / 5,
        "in_reference": float(reference_entry(term) is not None),
        "in_cedict": float(term in cedict().lines),
        "in_general_dictionary": float(term in background),
        "general_frequency": math.log(background.get(term, 0) + 1) / 10,
        "cohesion": (cohesion or 0.0) / 10,
        "several_words_mined": float(cohesion is not None),
        "boundary_entropy": (entropy or 0.0) / 5,
        "verbal_start": float(several and tags[0] in _VERBAL_START),
        "verbal_end": float(several and tags[-1] in _VERBAL_END),
        "idiom": float(not several and tags[0] in _IDIOM_TAGS),
        "two_parts": float(partners is not None),
        "part_partners": math.log(partners + 1) / 5 if partners is not None else 0.0,
        "parts_bound": bound if bound is not None else 0.0,
    }
    for name, value in _CATEGORIES.items():
        values[f"category_{name}"] = float(category == value)
    return values


@lru_cache(maxsize=1)
def model() -> dict | None:
    try:
        return json.loads(data_text(MODEL_FILE))
    except FileNotFoundError:
        return None


def probability(values: dict[str, float], fitted: dict | None = None) -> float:
    """The model's chance that an entry with these features is judged a term."""
    fitted = fitted or model()
    if fitted is None:
        return 1.0
    z = fitted["bias"]
    for name, mean, scale, weight in zip(fitted["features"], fitted["mean"], fitted["scale"], fitted["weights"]):
        z += weight * (values.get(name, 0.0) - mean) / scale
    return 1 / (1 + math.exp(-z))


def exponent() -> float:
    """How strongly the chance weighs on the score: score × chance ** exponent."""
    fitted = model()
    return fitted["exponent"] if fitted else 0.0


def fit(rows: list[dict[str, float]], labels: list[int], names: list[str], l2: float = 20.0,
        steps: int = 3000, rate: float = 0.1) -> dict:
    """Logistic regression by gradient descent on standardised features (L2 `l2`): small and
    deterministic, so training needs nothing beyond the standard library."""
    count = len(rows)
    mean = [sum(row.get(n, 0.0) for row in rows) / count for n in names]
    scale = [math.sqrt(sum((row.get(n, 0.0) - m) ** 2 for row in rows) / count) or 1.0 for n, m in zip(names, mean)]
    matrix = [[(row.get(n, 0.0) - m) / s for n, m, s in zip(names, mean, scale)] for row in rows]
    weights, bias = [0.0] * len(names), 0.0
    for _ in range(steps):
        gradient, bias_gradient = [0.0] * len(names), 0.0
        for vector, label in zip(matrix, labels):
            z = bias + sum(w * x for w, x in zip(weights, vector))
            error = 1 / (1 + math.exp(-z)) - label
            bias_gradient += error
            for i, x in enumerate(vector):
                gradient[i] += error * x
        weights = [w - rate * (g + l2 * w) / count for w, g in zip(weights, gradient)]
        bias -= rate * bias_gradient / count
    return {"features": names, "mean": mean, "scale": scale, "weights": weights, "bias": bias}
