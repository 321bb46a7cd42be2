"""A service's extra questions speak Indonesian and English; a ticket's answers read as question and labels."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from services.answers import read_answers
from services.models import SeededEntry, Service, ServiceAttribute

pytestmark = pytest.mark.django_db


def question(service_code, code):
    return ServiceAttribute.objects.get(service__code=service_code, code=code)


def test_questions_and_answers_are_in_the_pages_language(city):
    size = question("jalan-rusak", "ukuran")
    with translation.override("id"):
        assert size.text == "Seberapa besar kerusakannya?"
        assert size.choices[0] == ("kecil", "Kecil (< 1 m)")
    with translation.override("en"):
        assert size.text == "How big is the damage?"
        assert size.choices[0] == ("kecil", "Small (< 1 m)")


def test_english_falls_back_to_the_indonesian_text(city):
    size = question("jalan-rusak", "ukuran")
    size.description_en = ""
    size.values = [{"key": "kecil", "name": "Kecil"}]
    with translation.override("en"):
        assert size.text == "Seberapa besar kerusakannya?"
        assert size.choices == [("kecil", "Kecil")]


@pytest.mark.parametrize(
    "values",
    [
        {"kecil": "Kecil"},
        [{"key": "kecil"}],
        [{"name": "Kecil"}],
        [{"key": "a", "name": "A"}, {"key": "a", "name": "B"}],
    ],
)
def test_the_admin_gets_a_clear_message_for_malformed_answers(city, values):
    size = question("jalan-rusak", "ukuran")
    size.values = values
    with pytest.raises(ValidationError) as error:
        size.full_clean()
    assert "values" in error.value.message_dict


def test_a_list_question_needs_answers_but_a_text_question_does_not(city):
    size = question("jalan-rusak", "ukuran")
    size.values = []
    with pytest.raises(ValidationError):
        size.full_clean()
    question("pju-mati", "nomor_tiang").full_clean()


def test_seed_city_fills_the_english_texts_only_where_the_indonesian_is_still_the_shipped_one(city):
    size = question("jalan-rusak", "ukuran")
    size.description_en = ""
    size.values = [{"key": "kecil", "name": "Kecil (< 1 m)"}, {"key": "sedang", "name": "Sedang sekali"}]
    size.save()
    ktp = question("ktp-el", "masalah")
    ktp.description, ktp.description_en = "Masalah apa dengan KTP-el Anda?", ""
    ktp.save()
    pole = question("pju-mati", "nomor_tiang")
    pole.description_en = "Pole number, if you can read it"
    pole.save()
    SeededEntry.objects.filter(kind="question").delete()  # a city seeded before seed_city remembered what it gave
    call_command("seed_city", verbosity=0)
    size.refresh_from_db()
    assert size.description_en == "How big is the damage?"
    # The reworded answer keeps an empty English label (the Indonesian shows); the removed one stays removed.
    assert size.values == [
        {"key": "kecil", "name": "Kecil (< 1 m)", "name_en": "Small (< 1 m)"},
        {"key": "sedang", "name": "Sedang sekali"},
    ]
    ktp.refresh_from_db()
    assert (ktp.description, ktp.description_en) == ("Masalah apa dengan KTP-el Anda?", "")
    assert question("pju-mati", "nomor_tiang").description_en == "Pole number, if you can read it"


def test_the_migration_splits_the_shipped_two_language_texts_and_leaves_edited_ones(city):
    migration = importlib.import_module("services.migrations.0005_split_shipped_attribute_texts")
    ServiceAttribute.objects.filter(service__code="jalan-rusak", code="ukuran").update(
        description="Seberapa besar kerusakannya? / How big is the damage?",
        description_en="",
        values=[
            {"key": "kecil", "name": "Kecil (< 1 m) / Small"},
            {"key": "sedang", "name": "Sedang (edit admin)"},
            {"key": "raksasa", "name": "Raksasa"},
        ],
    )
    ServiceAttribute.objects.filter(service__code="ktp-el").update(description="KTP-el Anda kenapa?", description_en="")
    migration.split_shipped_texts(apps, None)
    size = question("jalan-rusak", "ukuran")
    assert (size.description, size.description_en) == ("Seberapa besar kerusakannya?", "How big is the damage?")
    assert size.values == [
        {"key": "kecil", "name": "Kecil (< 1 m)", "name_en": "Small (< 1 m)"},
        {"key": "sedang", "name": "Sedang (edit admin)"},
        {"key": "raksasa", "name": "Raksasa"},
    ]
    ktp = question("ktp-el", "masalah")
    assert (ktp.description, ktp.description_en) == ("KTP-el Anda kenapa?", "")


def test_answers_read_as_question_and_labels_in_the_pages_language(city):
    questions = list(Service.objects.get(code="ktp-el").attributes.all())
    with translation.override("en"):
        answers = read_answers({"masalah": ["belum_jadi", "rusak"]}, questions)
        assert [(a.question, a.text) for a in answers] == [("What is the problem?", "Not issued yet, Damaged")]
    with translation.override("id"):
        answers = read_answers({"masalah": ["belum_jadi"]}, questions)
        assert [(a.question, a.text) for a in answers] == [("Apa masalahnya?", "Belum jadi")]


def test_answers_keep_the_questions_order_and_format_numbers_and_times(city):
    lights = list(Service.objects.get(code="pju-mati").attributes.all())
    water = list(Service.objects.get(code="air-mati").attributes.all())
    with translation.override("en"):
        answers = read_answers({"jumlah_lampu": 3, "nomor_tiang": "T-0042"}, lights)
        assert [(a.question, a.text) for a in answers] == [
            ("Pole number if visible", "T-0042"),
            ("How many lights are out?", "3"),
        ]
        since = read_answers({"sejak": "2026-12-01T06:30:00+08:00"}, water)[0]
        assert since.question == "Since when has the water been off?"
        assert "2026" in since.text and "T06" not in since.text and "Dec" in since.text


def test_answers_to_deleted_questions_or_withdrawn_keys_show_their_raw_value(city):
    questions = list(Service.objects.get(code="jalan-rusak").attributes.all())
    with translation.override("en"):
        answers = read_answers({"ukuran": "raksasa", "lebar": ["2", "3"], "kosong": ""}, questions)
    assert [(a.question, a.text) for a in answers] == [("How big is the damage?", "raksasa"), ("lebar", "2, 3")]
    assert read_answers({"ukuran": "kecil"}, [])[0].text == "kecil"
    assert read_answers(["not", "a", "dict"], questions) == []


def test_the_admin_edits_both_languages(client, administrator, city):
    client.force_login(administrator)
    size = question("jalan-rusak", "ukuran")
    page = client.get(f"/admin/services/serviceattribute/{size.pk}/change/").content.decode()
    assert 'name="description_en"' in page and 'name="datatype_description_en"' in page
    # The datatype list says what the citizen gets, beside Open311's name for it.
    assert "Pick one answer (singlevaluelist)" in page or "Pilih satu jawaban (singlevaluelist)" in page
    service_page = client.get(f"/admin/services/service/{size.service_id}/change/").content.decode()
    assert 'name="attributes-0-description_en"' in service_page
