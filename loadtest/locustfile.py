"""A realistic mix for the portal: citizens, staff and an integration, on loopback.

    make load                      # starts gunicorn + one Celery worker, runs this headless, prints the summary
    locust -f loadtest/locustfile.py --host http://127.0.0.1:8000   # by hand, with the web UI

Accounts come from the environment (``benchmarks/load.py`` creates them):
LOAD_PASSWORD, LOAD_CITIZEN_EMAIL, LOAD_STAFF_EMAIL, LOAD_TOKEN (REST), LOAD_API_KEY (Open311).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import re

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

PASSWORD = os.environ.get("LOAD_PASSWORD", "bench-rahasia-123")
CITIZEN_EMAIL = os.environ.get("LOAD_CITIZEN_EMAIL", "bench.warga@example.id")
STAFF_EMAIL = os.environ.get("LOAD_STAFF_EMAIL", "bench.petugas@banjarmasinkota.go.id")
TOKEN = os.environ.get("LOAD_TOKEN", "")
API_KEY = os.environ.get("LOAD_API_KEY", "")
SERVICE_CODE = os.environ.get("LOAD_SERVICE", "sampah-menumpuk")
SERVICE_ID = os.environ.get("LOAD_SERVICE_ID", "")
MAP_DATA_URL = os.environ.get("LOAD_MAP_DATA_URL", "/laporan/peta.json")
FILE_URL = os.environ.get("LOAD_FILE_URL", "/lapor/")
# Points inside Banjarmasin's kelurahan (around the city centre).
POINTS = [(-3.3190, 114.5920), (-3.3250, 114.5900), (-3.3100, 114.6000), (-3.3300, 114.5850)]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STAFF_TICKET_LINK = re.compile(r'href="(/staf/[^"?#]*tiket[^"?#]*/|/staf/[^"?#]*BJM-[^"?#]+/)"')


def _photo() -> bytes:
    """A phone-sized JPEG (1600×1200) made once; random noise so it weighs what a photo weighs."""
    from PIL import Image

    noise = Image.effect_noise((1600, 1200), 40)
    image = Image.merge("RGB", (noise, noise.rotate(180), noise))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


PHOTO = _photo()


def _login(user: FastHttpUser, email: str) -> bool:
    response = user.client.get("/akun/login/", name="login page")
    match = CSRF_INPUT.search(response.text or "")
    if not match:
        return False
    with user.client.post(
        "/akun/login/",
        data={"csrfmiddlewaretoken": match.group(1), "login": email, "password": PASSWORD},
        headers={"Referer": user.host + "/akun/login/"},
        name="login",
        catch_response=True,
    ) as response:
        if response.status_code >= 400:
            response.failure(f"login answered {response.status_code}")
            return False
        response.success()
    return True


class Citizen(FastHttpUser):
    """Browses the public map and list, now and then files a report with a photo."""

    weight = 6
    wait_time = between(1, 4)

    def on_start(self):
        self.logged_in = _login(self, CITIZEN_EMAIL)

    @task(5)
    def home(self):
        self.client.get("/", name="home")

    @task(8)
    def public_map(self):
        self.client.get("/laporan/", name="public list")
        self.client.get(MAP_DATA_URL, name="public map data")

    @task(2)
    def file_with_photo(self):
        if not self.logged_in:
            return
        response = self.client.get(FILE_URL, name="filing form")
        match = CSRF_INPUT.search(response.text or "")
        if not match:
            return
        lat, lng = random.choice(POINTS)
        fields = {
            "csrfmiddlewaretoken": match.group(1),
            "title": "Sampah menumpuk di pinggir jalan",
            "description": "Sudah tiga hari sampah tidak diangkut, baunya sampai ke rumah warga.",
            "service": SERVICE_ID or SERVICE_CODE,
            "lat": str(lat),
            "lng": str(lng),
            "privacy": "public",
        }
        with self.client.post(
            FILE_URL,
            data=fields,
            files={"photos": ("foto.jpg", PHOTO, "image/jpeg")},
            headers={"Referer": self.host + FILE_URL},
            name="file with photo",
            catch_response=True,
        ) as response:
            if response.status_code >= 500:
                response.failure(f"filing answered {response.status_code}")
            else:
                response.success()


class Staff(FastHttpUser):
    """Works the department queue: list, open a ticket, back to the list."""

    weight = 2
    wait_time = between(2, 6)

    def on_start(self):
        self.logged_in = _login(self, STAFF_EMAIL)

    @task(4)
    def queue(self):
        if not self.logged_in:
            return
        response = self.client.get("/staf/antrian/", name="staff queue")
        links = STAFF_TICKET_LINK.findall(response.text or "")
        if links:
            self.client.get(random.choice(links[:20]), name="staff ticket page")

    @task(1)
    def queue_filtered(self):
        if self.logged_in:
            self.client.get("/staf/antrian/?status=routed", name="staff queue (filtered)")


class Integration(FastHttpUser):
    """Another system polling the REST API and Open311 for changes."""

    weight = 1
    wait_time = between(3, 6)

    def on_start(self):
        self.since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)

    @task(3)
    def api_tickets(self):
        """Follows changes as the API documents: updated_after, ordered by updated_at, from the last change read
        a minute earlier (a change saved during the read is not missed), never going back."""
        headers = {"Authorization": f"Token {TOKEN}"} if TOKEN else {}
        response = self.client.get(
            "/api/v1/tickets/",
            params={"updated_after": self.since.isoformat(), "ordering": "updated_at", "page_size": 100},
            headers=headers,
            name="API changes since last poll",
        )
        results = (response.json() or {}).get("results") if response.status_code == 200 else None
        if results:
            last = dt.datetime.fromisoformat(results[-1]["updated_at"])
            self.since = max(self.since, last - dt.timedelta(minutes=1))

    @task(2)
    def open311_requests(self):
        self.client.get("/open311/v2/requests.json", name="Open311 requests")

    @task(1)
    def open311_post(self):
        if not API_KEY:
            return
        lat, lng = random.choice(POINTS)
        with self.client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": API_KEY,
                "service_code": SERVICE_CODE,
                "lat": str(lat),
                "long": str(lng),
                "description": "Lampu jalan mati sejak minggu lalu.",
                "email": "integrasi@example.id",
            },
            name="Open311 POST",
            catch_response=True,
        ) as response:
            if response.status_code in (200, 201):
                response.success()
            else:
                response.failure(f"Open311 POST answered {response.status_code}")
