"""Which service a "not sure" ticket is about, from its Indonesian or English text.

Two opinions are combined:

- keyword rules from the catalogue (``Service.keywords``): a matched keyword is strong evidence;
- a scikit-learn model (TF-IDF over words and character n-grams + logistic regression) trained on
  past routed tickets and on seed sentences built from the catalogue's names, keywords and
  descriptions. A baseline trained on the seed sentences alone ships in ``classifier_data/``;
  ``retrain`` (nightly, by beat) writes a fresh model to ``settings.CLASSIFIER_MODEL_PATH``.

``classify`` returns the best service code and a confidence in [0, 1]; routing sends tickets
below ``settings.ROUTING_CLASSIFIER_THRESHOLD`` to the triage desk instead of guessing.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

BASELINE_PATH = Path(__file__).resolve().parent / "classifier_data" / "baseline.joblib"
DEFAULT_THRESHOLD = 0.45
# How much the keyword rules weigh against the model when both have an opinion.
KEYWORD_WEIGHT = 0.5

_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Classification:
    service_code: str | None
    score: float
    keyword: str = ""  # the strongest catalogue keyword that matched, if any
    model_score: float = 0.0


def normalise(text: str) -> str:
    return " ".join(_WORD.findall((text or "").lower()))


# --- keyword rules ---------------------------------------------------------------------------


def _keyword_pattern(keyword: str) -> re.Pattern:
    return re.compile(r"(?<![a-z0-9])" + re.escape(normalise(keyword)) + r"(?![a-z0-9])")


def keyword_scores(text: str, keywords: dict[str, list[str]]) -> dict[str, tuple[float, str]]:
    """Per service code: (weight of matched keywords, longest keyword matched). Longer phrases weigh more."""
    clean = normalise(text)
    scores: dict[str, tuple[float, str]] = {}
    for code, words in keywords.items():
        total, best = 0.0, ""
        for word in words:
            if word and _keyword_pattern(word).search(clean):
                total += len(normalise(word).split())
                if len(word) > len(best):
                    best = word
        if total:
            scores[code] = (total, best)
    return scores


_keyword_cache: dict = {"at": 0.0, "keywords": None}
KEYWORD_CACHE_SECONDS = 60


def catalogue_keywords() -> dict[str, list[str]]:
    """Active services' keywords from the database (falls back to the seed catalogue before seeding).

    Kept for a minute per process: the catalogue changes rarely and routing asks for every "not sure" ticket.
    """
    from services.models import Service

    now = time.monotonic()
    if _keyword_cache["keywords"] is not None and now - _keyword_cache["at"] < KEYWORD_CACHE_SECONDS:
        return _keyword_cache["keywords"]
    keywords = {s.code: s.keyword_list for s in Service.objects.filter(active=True).only("code", "keywords")}
    if keywords:
        _keyword_cache.update(at=now, keywords=keywords)
        return keywords
    from services.catalogue import SERVICES

    return {row[0]: [k.strip().lower() for k in row[9].split(",") if k.strip()] for row in SERVICES}


# --- training data -----------------------------------------------------------------------------

_TEMPLATES_ID = [
    "{k}",
    "ada {k} di depan rumah",
    "{k} di jalan dekat rumah saya",
    "tolong {k} segera ditangani",
    "sudah seminggu {k} belum ada tindakan",
    "mohon bantuan pak, {k} di gang kami",
    "laporan {k} di kelurahan kami",
]
_TEMPLATES_EN = [
    "{k}",
    "there is {k} in front of my house",
    "{k} near my street",
    "please fix the {k} quickly",
    "{k} for a week and nobody came",
]


def seed_samples(services=None) -> tuple[list[str], list[str]]:
    """Sentences built from the catalogue (names, keywords, descriptions, Indonesian and English) with labels.

    ``services``: rows of (code, name_id, name_en, description_id, description_en, keywords);
    defaults to the seed catalogue so the baseline needs no database.
    """
    if services is None:
        from services.catalogue import SERVICES

        services = [(r[0], r[1], r[2], r[10], r[2] + ".", r[9]) for r in SERVICES]
    texts: list[str] = []
    labels: list[str] = []
    for code, name_id, name_en, description_id, description_en, keywords in services:
        words = [k.strip().lower() for k in (keywords or "").split(",") if k.strip()]
        sentences = [name_id, name_en, description_id, description_en, f"{name_id}. {description_id}"]
        for i, word in enumerate(words):
            sentences.append(_TEMPLATES_ID[i % len(_TEMPLATES_ID)].format(k=word))
            sentences.append(_TEMPLATES_EN[i % len(_TEMPLATES_EN)].format(k=word))
            sentences.append(f"{name_id.lower()}: {word}")
        for sentence in sentences:
            if sentence and sentence.strip():
                texts.append(sentence)
                labels.append(code)
    return texts, labels


def past_samples(limit: int = 50_000) -> tuple[list[str], list[str]]:
    """Title + description of tickets that were routed with a service (the citizen's or staff's choice)."""
    from .models import Status, Ticket

    rows = (
        Ticket.objects.exclude(status__in=(Status.SUBMITTED, Status.REJECTED))
        .filter(service__isnull=False, service__active=True)
        .order_by("-created_at")
        .values_list("title", "description", "service__code")[:limit]
    )
    texts, labels = [], []
    for title, description, code in rows:
        texts.append(f"{title}. {description}")
        labels.append(code)
    return texts, labels


def train(texts: list[str], labels: list[str]):
    """Fit the TF-IDF + logistic regression pipeline."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(preprocessor=normalise, ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
            (
                "chars",
                TfidfVectorizer(
                    preprocessor=normalise, analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1
                ),
            ),
        ]
    )
    model = Pipeline([("features", features), ("clf", LogisticRegression(C=20.0, max_iter=2000))])
    model.fit(texts, labels)
    return model


def model_path() -> Path:
    return Path(getattr(settings, "CLASSIFIER_MODEL_PATH", "") or BASELINE_PATH)


def save(model, path: Path) -> None:
    import joblib

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
    joblib.dump(model, tmp, compress=3)
    os.replace(tmp, path)  # atomic: a worker never reads half a file


def retrain(*, path: Path | None = None, min_past: int = 0) -> dict:
    """Train on seed sentences plus past routed tickets and save; returns counts for logs and the command."""
    from services.models import Service

    rows = list(
        Service.objects.filter(active=True).values_list(
            "code", "name_id", "name_en", "description_id", "description_en", "keywords"
        )
    )
    seed_texts, seed_labels = seed_samples(rows or None)
    past_texts, past_labels = past_samples()
    if len(past_texts) < min_past:
        past_texts, past_labels = [], []
    model = train(seed_texts + past_texts, seed_labels + past_labels)
    target = path or model_path()
    save(model, target)
    reset()
    return {"seed": len(seed_texts), "past": len(past_texts), "classes": len(model.classes_), "path": str(target)}


# --- loading and predicting ------------------------------------------------------------------------

_lock = threading.Lock()
_loaded: dict = {"model": None, "path": None, "mtime": None}


def reset() -> None:
    with _lock:
        _loaded.update(model=None, path=None, mtime=None)
        _keyword_cache.update(at=0.0, keywords=None)


def _load():
    """The newest trained model, else the shipped baseline, else one trained now from the catalogue.

    Reloaded when the file changes (the nightly retrain replaces it atomically).
    """
    import joblib

    candidates = [model_path(), BASELINE_PATH]
    for path in candidates:
        try:
            mtime = path.stat().st_mtime
        except OSError:
            continue
        if _loaded["model"] is not None and _loaded["path"] == path and _loaded["mtime"] == mtime:
            return _loaded["model"]
        with _lock:
            try:
                model = joblib.load(path)
            except Exception:  # a model from another scikit-learn version: try the next one
                log.warning("could not load classifier %s", path, exc_info=True)
                continue
            _loaded.update(model=model, path=path, mtime=mtime)
            return model
    if _loaded["model"] is None or _loaded["path"] is not None:
        with _lock:
            texts, labels = seed_samples()
            _loaded.update(model=train(texts, labels), path=None, mtime=None)
    return _loaded["model"]


def classify(
    text: str, *, keywords: dict[str, list[str]] | None = None, known: set[str] | None = None
) -> Classification:
    """The most likely service for ``text`` and how sure we are.

    ``keywords``: code → keyword list (defaults to the catalogue); ``known``: the codes routing
    may use (inactive or deleted services never win).
    """
    if keywords is None:
        keywords = catalogue_keywords()
    if known is None:
        known = set(keywords)
    if not normalise(text):
        return Classification(None, 0.0)
    model = _load()
    probabilities = model.predict_proba([text])[0]
    model_scores = {code: float(p) for code, p in zip(model.classes_, probabilities, strict=True) if code in known}
    matched = {code: hit for code, hit in keyword_scores(text, keywords).items() if code in known}
    total = sum(weight for weight, _word in matched.values())
    combined: dict[str, float] = {}
    for code in set(model_scores) | set(matched):
        share = matched[code][0] / total if code in matched else 0.0
        model_score = model_scores.get(code, 0.0)
        combined[code] = KEYWORD_WEIGHT * share + (1 - KEYWORD_WEIGHT) * model_score if matched else model_score
    if not combined:
        return Classification(None, 0.0)
    best = max(combined, key=lambda code: (combined[code], model_scores.get(code, 0.0)))
    return Classification(
        service_code=str(best),
        score=round(min(combined[best], 1.0), 4),
        keyword=matched[best][1] if best in matched else "",
        model_score=round(model_scores.get(best, 0.0), 4),
    )


def threshold() -> float:
    return float(getattr(settings, "ROUTING_CLASSIFIER_THRESHOLD", DEFAULT_THRESHOLD))
