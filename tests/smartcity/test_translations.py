"""The portal speaks Bahasa Indonesia by default and English on request.

The Indonesian catalogue (locale/id/LC_MESSAGES/django.po) must translate every string the code ships, with no
fuzzy entries, and the committed django.mo must match it, so a machine without gettext shows the same pages.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_FILE = LOCALE_DIR / "id" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}|</?[a-z]+[^>]*>")
# Top-level entries of the project that makemessages must not scan (same list as `make messages`).
NOT_SCANNED = {".venv", ".git", "locale", "static", "staticfiles", "test-artifacts", "media", "private_uploads"}


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for the files makemessages writes (obsolete ``#~`` entries are skipped)."""
    entries: list[Entry] = []
    current: Entry | None = None
    key: tuple[str, int] | None = None

    def finish():
        if current is not None and key is not None:
            entries.append(current)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if current is not None and key is not None and key[0] == "msgstr":
                finish()
                current, key = None, None
            current = current or Entry(line=number)
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            word, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if word in ("msgid", "msgctxt") and key is not None and key[0] == "msgstr":
                finish()
                current = None
            current = current or Entry(line=number)
            if word.startswith("msgstr["):
                key = ("msgstr", int(word[7:-1]))
                current.msgstr[key[1]] = ""
            elif word == "msgstr":
                key = ("msgstr", 0)
                current.msgstr[0] = ""
            else:
                key = (word, 0)
                setattr(current, word, "")
        if key[0] == "msgstr":
            current.msgstr[key[1]] += value
        else:
            setattr(current, key[0], getattr(current, key[0]) + value)
    finish()
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    assert PO_FILE.exists(), "run `make messages` to create the Indonesian catalogue"
    entries = parse_po(PO_FILE)
    header = [e for e in entries if e.msgid == ""]
    assert len(header) == 1
    assert "Plural-Forms: nplurals=1; plural=0;" in header[0].msgstr[0]
    return [e for e in entries if e.msgid != ""]


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    assert len(catalogue) > 500
    empty = [e.msgid for e in catalogue if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    plural_slots = [e.msgid for e in catalogue if e.msgid_plural is not None and set(e.msgstr) != {0}]
    assert empty == [], f"{len(empty)} untranslated: {empty[:10]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy: {fuzzy[:10]}"
    assert plural_slots == [], "Indonesian has one plural form: msgstr[0] only"


def test_translations_keep_placeholders_and_tags(catalogue):
    wrong = []
    for e in catalogue:
        expected = sorted(PLACEHOLDER.findall(e.msgid_plural or e.msgid))
        for text in e.msgstr.values():
            if sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append((e.msgid, text))
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file(catalogue):
    """Every entry read back through Django's gettext (from django.mo) gives the .po translation."""
    assert MO_FILE.exists(), "compile the catalogue: make messages"
    stale = []
    with translation.override("id"):
        for e in catalogue:
            if e.msgid_plural is not None:
                got = (
                    translation.npgettext(e.msgctxt, e.msgid, e.msgid_plural, 7)
                    if e.msgctxt
                    else translation.ngettext(e.msgid, e.msgid_plural, 7)
                )
            elif e.msgctxt:
                got = translation.pgettext(e.msgctxt, e.msgid)
            else:
                got = translation.gettext(e.msgid)
            if got != e.msgstr[0]:
                stale.append(e.msgid)
    assert stale == [], f"django.mo is older than django.po for {len(stale)} entries, e.g. {stale[:5]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_catalogue_holds_every_string_in_the_code(catalogue, tmp_path):
    """A fresh makemessages over the code (in a scratch copy made of symlinks) finds nothing the catalogue lacks."""
    base = Path(settings.BASE_DIR)
    for child in base.iterdir():
        if child.name not in NOT_SCANNED and not child.name.startswith("."):
            (tmp_path / child.name).symlink_to(child)
    (tmp_path / "locale").mkdir()
    code = (
        "import django; django.setup(); from django.conf import settings; settings.LOCALE_PATHS = []; "
        "from django.core.management import call_command; "
        "call_command('makemessages', locale=['id'], symlinks=True, no_obsolete=True, verbosity=0, "
        "ignore_patterns=['.venv', 'static', 'staticfiles', 'test-artifacts', 'media'])"
    )
    env = {**os.environ, "PYTHONPATH": str(base), "DJANGO_SETTINGS_MODULE": "smartcity.settings.base"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    fresh = parse_po(tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.po")
    known = {(e.msgctxt, e.msgid, e.msgid_plural) for e in catalogue}
    missing = [e.msgid for e in fresh if e.msgid and (e.msgctxt, e.msgid, e.msgid_plural) not in known]
    assert missing == [], f"{len(missing)} strings are not in the catalogue yet (run `make messages`): {missing[:10]}"


# --- Pages ------------------------------------------------------------------------------------------------

PAGES = {
    "/": ["Laporkan masalah di Banjarmasin", "Buat laporan", "Laporan publik", "Transparansi"],
    "/lapor/": ["Di mana lokasinya?", "Kirim laporan", "Uraikan permasalahannya"],
    "/laporan/": ["Laporan yang dipilih warga untuk dipublikasikan", "Semua kelurahan"],
    "/akun/login/": ["Masuk", "Belum punya akun?"],
    "/dasbor/publik/": ["Transparansi: bagaimana pemerintah kota menjawab", "Data terbuka"],
}
ENGLISH = {
    "/": ["Report a problem in Banjarmasin", "File a report"],
    "/lapor/": ["Where is it?", "Send report", "Describe the problem"],
    "/laporan/": ["Reports residents chose to make public", "All kelurahan"],
    "/akun/login/": ["No account yet?", "Log in"],
    "/dasbor/publik/": ["Transparency: how the city answers", "Open data"],
}
# English navigation and footer that must never show on an Indonesian page.
ENGLISH_CHROME = ["File a report", "Public reports", "My reports", "Log in", "Sign up", "Times are shown in WITA"]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(PAGES))
def test_pages_are_indonesian_by_default(client, city, url, catalogue):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    html = response.content.decode()
    text = visible_text(html)
    for phrase in PAGES[url]:
        assert phrase in text
    for phrase in ENGLISH_CHROME + ENGLISH[url]:
        assert phrase not in text
    # No sentence of the catalogue shows up in English: a longer msgid in the page means it was not translated.
    leftovers = [
        e.msgid
        for e in catalogue
        if len(e.msgid) > 20 and e.msgid != e.msgstr.get(0) and "%" not in e.msgid and e.msgid in text
    ]
    assert leftovers == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(PAGES))
def test_pages_are_english_when_the_browser_asks(client, city, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    text = visible_text(response.content.decode())
    for phrase in ENGLISH[url]:
        assert phrase in text
    for phrase in PAGES[url][1:]:
        assert phrase not in text


@pytest.mark.django_db
def test_language_switch_persists_across_pages(client, city):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/laporan/"})
    assert response.status_code == 302
    for url in PAGES:
        text = visible_text(client.get(url).content.decode())
        assert ENGLISH[url][0] in text and PAGES[url][0] not in text
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Laporkan masalah di Banjarmasin" in visible_text(client.get("/").content.decode())


@pytest.mark.django_db
def test_cached_dashboard_figures_follow_the_language(client, city, settings):
    """The transparency figures are cached a few minutes; an English visitor never gets the Indonesian copy."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "i18n"}}
    # Notes with a number are formatted when computed, so they are cached as text.
    indonesian = visible_text(client.get("/dasbor/publik/").content.decode())
    assert "Persentase atau median memerlukan sedikitnya" in indonesian
    english = visible_text(client.get("/dasbor/publik/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "A rate or median needs at least" in english
    assert "Persentase atau median" not in english
    again = visible_text(client.get("/dasbor/publik/").content.decode())
    assert "Persentase atau median" in again and "A rate or median" not in again


@pytest.mark.django_db
def test_validation_messages_follow_the_language(client, city):
    """Errors raised by actions (gettext_lazy) reach the citizen in the page's language."""
    data = {"title": "", "description": "", "privacy": "public"}
    indonesian = visible_text(client.post("/lapor/", data).content.decode())
    assert "Mohon uraikan permasalahannya." in indonesian or "Mohon periksa kolom" in indonesian
    english = visible_text(client.post("/lapor/", data, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Please check the fields marked below." in english
    assert "Mohon periksa kolom" not in english
