def test_home_page_speaks_indonesian_by_default_and_english_on_request(client, db):
    page = client.get("/")
    assert page.status_code == 200
    assert 'lang="id"' in page.content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="en"' in english.content.decode()
