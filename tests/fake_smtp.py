"""A mail server for tests on a local port: one that answers (and keeps what it was sent), one that accepts the
connection and never says a word (a hung server), and a port where nothing listens (a refusing one)."""

from __future__ import annotations

import socket
import threading
import time
from email import message_from_bytes
from email.message import Message


def closed_port() -> int:
    """A local port nobody listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_smtp(settings, port: int, *, timeout: int = 1) -> None:
    """Point Django's SMTP backend (pytest-django's ``settings``) at a local port, waiting ``timeout`` s at most."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = timeout


class FakeSMTP:
    """``hang=True``: accept and never answer; ``hang=False``: a minimal SMTP server. Switch with ``hang``."""

    def __init__(self, *, hang: bool = False):
        self.hang = hang
        self.messages: list[Message] = []
        self.connections = 0
        self._stopped = threading.Event()
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(16)
        self._server.settimeout(0.1)
        self.port = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> FakeSMTP:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopped.set()
        self._thread.join(5)
        self._server.close()

    def wait_for(self, count: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with client:
            if self.hang:
                self._stopped.wait()  # never a word (the client's timeout ends it)
                return
            client.settimeout(10)
            reader = client.makefile("rb")
            client.sendall(b"220 fake ESMTP\r\n")
            try:
                while not self._stopped.is_set():
                    line = reader.readline()
                    if not line:
                        return
                    command = line.strip().upper()
                    if command.startswith((b"EHLO", b"HELO")):
                        client.sendall(b"250 fake\r\n")
                    elif command == b"DATA":
                        client.sendall(b"354 end with .\r\n")
                        data = []
                        for data_line in iter(reader.readline, b""):
                            if data_line == b".\r\n":
                                break
                            data.append(data_line[1:] if data_line.startswith(b"..") else data_line)
                        self.messages.append(message_from_bytes(b"".join(data)))
                        client.sendall(b"250 queued\r\n")
                    elif command == b"QUIT":
                        client.sendall(b"221 bye\r\n")
                        return
                    else:  # MAIL, RCPT, RSET, NOOP
                        client.sendall(b"250 ok\r\n")
            except OSError:
                return
