"""The filing form says, where the citizen writes, that a public report's title and description are for everyone to
read (found in the Ketua RT walk: 'for Ibu Siti, Gang Mawar no. 12' went onto the public page, Open311 and the REST
API; the add-information, reopen and rating boxes already said so, the filing form only 'At most 4,000 characters')."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_description_says_everyone_reads_it_unless_confidential(client, city):
    page = client.get("/lapor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    hint = page[page.index('id="id_description_helptext"') :]
    hint = hint[: hint.index("</div>")]
    assert "everyone can read its title and description" in hint and "house numbers" in hint
    assert 'aria-describedby="id_description_helptext"' in page
