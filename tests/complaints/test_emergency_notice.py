"""The portal is not for emergencies, and says so where a citizen in danger would look (found in the Saturday-night
storm QA walk: a fallen tree on sparking power lines, knee-deep flooding with elderly people to evacuate, and no page
said to call 112): the filing form's notice with tap-to-call numbers from the city's setting, the "received" page
and the guest's pages repeat it, and the fire service's emergency line survives in English."""

import re

import pytest

from complaints.emergency import DANGER_WORDS
from complaints.models import Ticket

from .test_filing_views import form_data


def tel_links(page: str) -> list[str]:
    return re.findall(r'href="tel:([^"]+)"', page)


@pytest.mark.parametrize(
    "language,heading,label",
    [
        ("en", "Not for emergencies", "PLN: fallen or sparking power lines"),
        ("id", 'id="emergency-notice"', ""),
    ],
)
def test_the_filing_form_says_whom_to_call_with_tap_to_call_links(client, city, language, heading, label):
    page = client.get("/lapor/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    notice = page[page.index('id="emergency-notice"') : page.index("</section>", page.index('id="emergency-notice"'))]
    assert heading in page and label in notice
    assert tel_links(notice) == ["112", "123"]
    # Above the form, before anything is to be filled in.
    assert page.index('id="emergency-notice"') < page.index('id="filing-form"')
    # Raised by the script only: one empty alert box, filled once.
    assert notice.count('role="alert"') == 1 and 'id="emergency-alert" role="alert" data-msg=' in notice


def test_the_numbers_are_the_citys_setting(client, city, settings):
    settings.EMERGENCY_NUMBERS = [("0511 3252 112", "Damkar Banjarmasin")]
    page = client.get("/lapor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert tel_links(page) == ["05113252112"]
    assert ">0511 3252 112</a> · Damkar Banjarmasin" in page


def test_the_page_gives_its_script_the_danger_words_and_the_emergency_services(client, city):
    from services.models import Service

    page = client.get("/lapor/").content.decode()
    assert '"pohon tumbang"' in page and '"kebakaran"' in page
    fire = Service.objects.get(code="kebakaran")
    assert f'id="service-{fire.pk}"' in page and 'data-code="kebakaran"' in page
    assert len(set(DANGER_WORDS)) == len(DANGER_WORDS)


def test_a_guest_is_told_not_to_wait_for_the_email_and_the_received_page_repeats_the_numbers(
    client, city, pin, settings
):
    from services.models import Service

    tree = Service.objects.get(code="pohon-tumbang")
    data = form_data(tree, pin, title="Pohon tumbang menimpa kabel", reporter_email="warga.badai@example.id")
    response = client.post("/lapor/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "If anyone is in danger, do not wait for it: call now" in page
    assert tel_links(page) == ["112", "123"]

    # The page the email's link opens, before "Yes, send my report".
    ticket = Ticket.objects.get()
    confirm = client.get(f"/lapor/konfirmasi/{ticket.confirmation_token}/", HTTP_ACCEPT_LANGUAGE="en")
    page = confirm.content.decode()
    assert "If anyone is in danger, call now: this report reaches the department" in page
    assert tel_links(page) == ["112", "123"]


def test_the_received_page_of_a_report_filed_for_a_citizen_repeats_the_numbers_in_indonesian(
    client, staff_dlh, city, pin
):
    from services.models import Service

    client.force_login(staff_dlh)
    fire = Service.objects.get(code="kebakaran")
    data = form_data(fire, pin, channel="phone", reporter_name="Bu Inah", reporter_phone="0811500113")
    response = client.post("/lapor/", data)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert 'id="emergency-reminder"' in page and tel_links(page) == ["112", "123"]


def test_the_fire_services_emergency_line_is_seeded_in_english(city):
    from services.models import Service

    fire = Service.objects.get(code="kebakaran")
    assert "112" in fire.description_id and "Emergency: call 112." in fire.description_en
    assert Service.objects.get(code="jalan-rusak").description_en == "Damaged or potholed road."
