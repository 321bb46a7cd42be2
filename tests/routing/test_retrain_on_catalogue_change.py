"""A service added or changed in the admin reaches text-based routing within a minute: saving it queues one retrain
of the "not sure" classifier after the commit (one pending at a time), and the admin says so. Before, a new service
was unknown to the model until the nightly retrain: its keyword's share was halved and its reports went to triage."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from complaints import classifier, tasks
from services.models import Department, Service
from tests.admin_forms import service_form

pytestmark = pytest.mark.django_db

TEXT = "Kawasan kumuh di gang kami"
LEARNS = "learns this change once the classifier has been retrained"


@pytest.fixture
def published(monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.retrain_classifier, "apply_async", lambda *args, **kwargs: sent.append(kwargs))
    return sent


def _form(**fields):
    """A new service "Kawasan kumuh" of Perkim, or the same fields changed."""
    slum_area = Service(
        code="kawasan-kumuh",
        kind="complaint",
        group="Perumahan dan permukiman",
        name_id="Kawasan kumuh",
        name_en="Slum area",
        description_id="Permukiman padat yang kumuh dan tidak tertata.",
        keywords="kawasan kumuh, slum",
        default_department=Department.objects.get(code="perkim"),
        response_sla_days=3,
        resolution_sla_days=20,
        default_priority=2,
        default_privacy="public",
    )
    return service_form(slum_area, **fields)


def _save(admin_en, capture, url, **fields):
    with capture(execute=True):
        response = admin_en.post(url, _form(**fields))
    assert response.status_code == 302, response.content.decode()[:3000]
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_new_service_is_learnt_after_one_retrain(
    admin_en, published, settings, tmp_path, django_capture_on_commit_callbacks
):
    shown = _save(admin_en, django_capture_on_commit_callbacks, "/admin/services/service/add/")
    assert published == [{"countdown": tasks.RETRAIN_DELAY_SECONDS}]
    assert any(LEARNS in message for message in shown)
    service = Service.objects.get(code="kawasan-kumuh")
    change = f"/admin/services/service/{service.pk}/change/"
    # More edits while that retrain waits queue nothing more: it will read them.
    for keywords in ("kawasan kumuh, slum, kampung kumuh", "kawasan kumuh, slum"):
        _save(admin_en, django_capture_on_commit_callbacks, change, keywords=keywords)
    assert len(published) == 1

    # Until it runs, the model does not know the service: its keyword's share is halved, under the threshold.
    classifier.reset()
    before = classifier.classify(TEXT)
    assert before.service_code != "kawasan-kumuh" or before.score < classifier.threshold()

    settings.CLASSIFIER_MODEL_PATH = str(tmp_path / "classifier.joblib")
    tasks.retrain_classifier()  # what the worker runs
    after = classifier.classify(TEXT)
    assert after.service_code == "kawasan-kumuh" and after.score >= classifier.threshold()

    # A change once the retrain has started queues the next one.
    _save(admin_en, django_capture_on_commit_callbacks, change, active=None)
    assert len(published) == 2


def test_changes_the_classifier_does_not_read_queue_nothing(admin_en, published, django_capture_on_commit_callbacks):
    service = Service.objects.get(code="sampah-menumpuk")
    fields = {
        name: getattr(service, name)
        for name in ("code", "kind", "group", "group_en", "name_id", "name_en", "description_id", "description_en")
    }
    fields.update(
        keywords=service.keywords,
        default_department=service.default_department_id,
        response_sla_days=service.response_sla_days,
        resolution_sla_days=service.resolution_sla_days + 1,
        default_priority=service.default_priority,
        default_privacy=service.default_privacy,
    )
    shown = _save(
        admin_en, django_capture_on_commit_callbacks, f"/admin/services/service/{service.pk}/change/", **fields
    )
    assert published == [] and not any(LEARNS in message for message in shown)


def test_a_keyword_of_another_active_service_is_pointed_out(admin_en, published, django_capture_on_commit_callbacks):
    shown = _save(
        admin_en,
        django_capture_on_commit_callbacks,
        "/admin/services/service/add/",
        keywords="kawasan kumuh, Bau  Sampah, gang",
    )
    (warning,) = [message for message in shown if "shares with other active services" in message]
    assert "“gang” (Neighbourhood infrastructure (alleys, latrines) (psu-permukiman))" in warning
    assert "“bau sampah” (Uncollected or piled-up waste (sampah-menumpuk))" in warning
    assert "kawasan kumuh" not in warning
    assert Service.objects.filter(code="kawasan-kumuh").exists()  # a warning, not a refusal


def test_without_a_broker_the_retrain_runs_in_process(city, monkeypatch):
    from celery import current_app

    ran = []
    monkeypatch.setitem(current_app.conf, "task_always_eager", True)
    monkeypatch.setattr(classifier, "retrain", lambda **kwargs: ran.append(kwargs) or {})
    assert tasks.request_retrain() is True
    assert ran == [{}]
