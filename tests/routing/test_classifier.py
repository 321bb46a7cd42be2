"""The "not sure" classifier: keyword rules plus the shipped TF-IDF model, Indonesian and English."""

from __future__ import annotations

import pytest

from complaints import classifier
from services.catalogue import SERVICES

KEYWORDS = {row[0]: [k.strip().lower() for k in row[9].split(",") if k.strip()] for row in SERVICES}


def classify(text):
    return classifier.classify(text, keywords=KEYWORDS)


def test_shipped_baseline_exists():
    assert classifier.BASELINE_PATH.exists()


def test_waste_piling_up_goes_to_waste_collection():
    result = classify("sampah menumpuk di depan rumah")
    assert result.service_code == "sampah-menumpuk"
    assert result.score >= classifier.DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Garbage has not been collected for a week", "sampah-menumpuk"),
        ("The street light in front of my house is broken", "pju-mati"),
        ("There is a big hole in the road", "jalan-rusak"),
        ("Air PDAM tidak mengalir sejak kemarin", "air-mati"),
        ("Banyak nyamuk, anak tetangga kena DBD, mohon fogging", "demam-berdarah"),
    ],
)
def test_indonesian_and_english_texts(text, code):
    result = classify(text)
    assert result.service_code == code
    assert result.score >= classifier.DEFAULT_THRESHOLD


@pytest.mark.parametrize("text", ["asdkj qwe zzxv lorem", "xyzzy plugh", "tolong", "", "!!!"])
def test_gibberish_is_not_confident(text):
    assert classify(text).score < classifier.DEFAULT_THRESHOLD


def test_unknown_services_never_win():
    result = classifier.classify("sampah menumpuk di depan rumah", keywords=KEYWORDS, known={"jalan-rusak"})
    assert result.service_code in (None, "jalan-rusak")
    assert result.score < classifier.DEFAULT_THRESHOLD


def test_seed_sentences_cover_every_service_in_both_languages():
    texts, labels = classifier.seed_samples()
    assert set(labels) == set(KEYWORDS)
    waste = [t for t, label in zip(texts, labels) if label == "sampah-menumpuk"]
    assert any("rubbish" in t for t in waste) and any("menumpuk" in t for t in waste)


@pytest.mark.django_db
def test_retrain_learns_from_routed_tickets(city, tmp_path, settings):
    from tests.factories import make_ticket

    for _ in range(6):
        make_ticket(service="tps-liar", title="Gunungan kantong plastik di lahan kosong", description="Setiap malam.")
    settings.CLASSIFIER_MODEL_PATH = str(tmp_path / "model.joblib")
    try:
        counts = classifier.retrain()
        assert counts["past"] == 6 and (tmp_path / "model.joblib").exists()
        assert classify("gunungan kantong plastik di lahan kosong").service_code == "tps-liar"
    finally:
        classifier.reset()
