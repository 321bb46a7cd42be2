"""The saved filters' admin page (found in the reorganisation walk): its title read "SavedFilter object (1)", and its
owner was a plain list of every account, citizens included, where two "Rahmat Hidayat" looked the same. The page
names the filter, and the owner is searched and shown by name and email, as the membership pickers are."""

import pytest

from complaints.models import SavedFilter
from services.models import Department
from tests.conftest import make_staff, make_user

pytestmark = pytest.mark.django_db


def test_the_page_names_the_filter_and_picks_the_owner_by_name_and_email(superuser_en, city):
    owner = make_staff("rahmat.pupr@banjarmasinkota.go.id", "pupr")
    owner.full_name = "Rahmat Hidayat"
    owner.save(update_fields=["full_name"])
    make_user("warga.rahmat@example.id", full_name="Rahmat Hidayat")  # a citizen of the same name
    saved = SavedFilter.objects.create(
        owner=owner, department=Department.objects.get(code="pupr"), name="RTLH terbuka", query="status=open"
    )
    page = superuser_en.get(f"/admin/complaints/savedfilter/{saved.pk}/change/").content.decode()
    assert "<title>RTLH terbuka" in page and "SavedFilter object" not in page
    assert "Rahmat Hidayat (rahmat.pupr@banjarmasinkota.go.id)" in page
    assert "warga.rahmat@example.id" not in page  # not listed: the picker searches instead
    assert 'data-ajax--url="/admin/services/staffmembership/people/autocomplete/"' in page
