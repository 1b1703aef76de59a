"""A real SMTP server in the test process (aiosmtpd on a free loopback port) that keeps what
arrives, or refuses it with the reply a test chooses."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller
from django.test import override_settings


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """The aiosmtpd handler: keeps each delivered message, or answers ``refuse`` to DATA."""

    def __init__(self, *, refuse: str | None = None, delay: float = 0.0) -> None:
        self.refuse = refuse
        self.delay = delay
        self.messages: list[EmailMessage] = []
        self.recipients: list[str] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refuse:
            return self.refuse
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        with self._lock:
            self.messages.append(message)
            self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def smtp_settings(port: int):
    """Django's SMTP backend pointed at 127.0.0.1:``port``."""
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=5,
    )


@contextmanager
def smtp_server(inbox: Inbox):
    """Run ``inbox`` as an SMTP server and point Django's e-mail settings at it."""
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with smtp_settings(port):
            yield inbox
    finally:
        controller.stop()
