"""A reference with a NUL character in a ticket's sub-address is a 404, as the ticket's own address answers it: the
timeline, the photos and every staff action were a 500 (the database refuses to compare a NUL), which the schema
fuzzing run met now and then."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["", "events/", "photos/1/", "photos/1/thumbnail/"])
def test_reading_a_reference_with_a_nul_is_a_404(api, city, path):
    assert api.get(f"/api/v1/tickets/a%00b/{path}").status_code == 404


def test_acting_on_a_reference_with_a_nul_is_a_404(as_user, staff_dlh):
    assert as_user(staff_dlh).post("/api/v1/tickets/a%00b/acknowledge/", {}, format="json").status_code == 404
