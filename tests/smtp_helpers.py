"""A real SMTP server on loopback (aiosmtpd) for the scheduler's mail tests."""
import socket
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy

import pytest


@dataclass
class SmtpServer:
    port: int
    received: list = field(default_factory=list)

    def wait_for(self, count: int, timeout: float = 5.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received

    def recipients(self) -> list[str]:
        return [str(m["To"]) for m in self.received]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def smtp_server():
    """Keeps every message it receives (parsed, with the modern e-mail policy)."""
    from aiosmtpd.controller import Controller

    server = SmtpServer(port=free_port())

    class Keep:
        async def handle_DATA(self, smtp_server, session, envelope):
            server.received.append(message_from_bytes(envelope.original_content or envelope.content,
                                                      policy=policy.default))
            return "250 OK"

    controller = Controller(Keep(), hostname="127.0.0.1", port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture()
def mail_config(app, monkeypatch, smtp_server):
    """Point the app at the loopback server (restored after the test)."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_server.port)
    monkeypatch.setitem(app.config, "BASE_URL", "https://tdnv.example.vn")
    return app.config


def body_text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def body_html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()
