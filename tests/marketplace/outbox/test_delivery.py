"""The outbox delivered through a real SMTP server (aiosmtpd in this process): each message once,
even with two runs at the same time; nothing lost when the server refuses or is down; proper
headers (DESIGN §4.8, issue 17 point 3, issue 16 points 3 and 4)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from email.utils import parseaddr, parsedate_to_datetime

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from marketplace.outbox.models import Message
from marketplace.outbox.services import message_write, messages_send
from tests.factories import UserFactory
from tests.tenders.smtp_server import Inbox, free_port, smtp_server, smtp_settings

URL = "https://dichtbij.example/tenders/12/"


@pytest.fixture
def firm_user():
    return UserFactory(email="dana@firma.example")


@pytest.fixture
def written(settings, firm_user):
    settings.SITE_URL = "https://dichtbij.example"
    settings.SITE_NAME = "Dichtbij"
    message_write(
        key="test:1",
        to_user=firm_user,
        subject="DOR-2026-0012: Deadline verlengd",
        body=f"Nieuwe deadline: 1 april.\n\nBekijk de opdracht: {URL}",
        headers={"List-Unsubscribe": "<https://dichtbij.example/alerts/afmelden/abc/>"},
        topic="tender:12",
    )


@pytest.mark.django_db
def test_the_mail_that_arrives_has_proper_headers_and_both_parts(written, firm_user):
    with smtp_server(Inbox()) as inbox:
        assert messages_send() == {"sent": 1, "failed": 0}

    [message] = inbox.messages
    assert inbox.recipients == [firm_user.email]
    assert message["Message-ID"].endswith("@dichtbij.example>")
    assert abs(parsedate_to_datetime(message["Date"]) - timezone.now()) < timedelta(minutes=1)
    assert parseaddr(message["From"])[0] == "Dichtbij"
    assert "127.0.0.1" not in message["From"] + message["Message-ID"]
    assert message["Subject"] == "DOR-2026-0012: Deadline verlengd"
    assert message["List-Unsubscribe"] == "<https://dichtbij.example/alerts/afmelden/abc/>"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Nieuwe deadline: 1 april." in text
    assert "Nieuwe deadline: 1 april." in html
    assert URL in text
    assert f'href="{URL}"' in html
    assert '<html lang="nl">' in html and ">Dichtbij</a>" in html


@pytest.mark.django_db
def test_two_sends_of_the_same_row_have_different_message_ids(written):
    with smtp_server(Inbox()) as inbox:
        messages_send()
        Message.objects.update(sent_at=None, attempts=0)  # pretend they were never sent
        messages_send()
    ids = [message["Message-ID"] for message in inbox.messages]
    assert len(ids) == 2 and len(set(ids)) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reply", ["550 5.7.1 Message refused", "451 4.3.0 Try again later"], ids=["550", "451"]
)
def test_a_refusing_server_loses_nothing_and_the_mail_arrives_later(written, firm_user, reply):
    start = timezone.now()
    refusing = Inbox(refuse=reply)
    with smtp_server(refusing), time_machine.travel(start, tick=False):
        assert messages_send() == {"sent": 0, "failed": 1}
    row = Message.objects.get()
    assert (row.attempts, row.sent_at, row.failed_at) == (1, None, None)
    assert reply.split()[0] in row.last_error
    assert row.next_attempt_at == start + timedelta(minutes=2)
    assert refusing.messages == []

    with smtp_server(Inbox()) as inbox:
        with time_machine.travel(start + timedelta(minutes=1), tick=False):
            assert messages_send() == {"sent": 0, "failed": 0}  # not due yet
        with time_machine.travel(start + timedelta(minutes=2), tick=False):
            assert messages_send() == {"sent": 1, "failed": 0}
            assert messages_send() == {"sent": 0, "failed": 0}
    assert inbox.recipients == [firm_user.email]
    assert "Nieuwe deadline: 1 april." in inbox.messages[0].get_body(("plain",)).get_content()


@pytest.mark.django_db
def test_a_server_that_is_down_backs_off_and_gives_up_with_its_last_error(written):
    now = timezone.now()
    waits = []
    with smtp_settings(free_port()):  # nothing listens on this port
        for _attempt in range(Message.MAX_ATTEMPTS):
            with time_machine.travel(now, tick=False):
                assert messages_send() == {"sent": 0, "failed": 1}
            row = Message.objects.get()
            waits.append(row.next_attempt_at - now)
            now = row.next_attempt_at
    assert waits == [timedelta(minutes=2**n) for n in range(1, Message.MAX_ATTEMPTS + 1)]
    assert row.failed_at is not None and row.sent_at is None
    assert "ConnectionRefusedError" in row.last_error
    assert (row.claim, row.claimed_at) == ("", None)

    with smtp_server(Inbox()) as inbox, time_machine.travel(now + timedelta(days=1)):
        assert messages_send() == {"sent": 0, "failed": 0}
    assert inbox.messages == []


@pytest.mark.django_db
def test_a_crashed_workers_claim_expires(written, firm_user):
    now = timezone.now()
    Message.objects.update(claim="crashed", claimed_at=now - timedelta(minutes=1))
    with smtp_server(Inbox()) as inbox:
        assert messages_send(now=now) == {"sent": 0, "failed": 0}  # still claimed
        later = now + Message.CLAIM_TIMEOUT
        assert messages_send(now=later) == {"sent": 1, "failed": 0}
    assert inbox.recipients == [firm_user.email]
    assert Message.objects.get().claim == ""


def database_url_for_other_processes(tmp_path) -> str:
    """A URL other processes can open: PostgreSQL's test database itself; SQLite's in-memory test
    database copied (committed rows and all) to a file, which is what production runs on."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user, password = settings_dict["USER"], settings_dict["PASSWORD"]
        host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
        return f"postgres://{user}:{password}@{host}:{port}/{settings_dict['NAME']}"
    path = tmp_path / "outbox.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def sent_rows(database_url: str) -> list[tuple[str, int]]:
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            query = "SELECT key, attempts FROM marketplace_message WHERE sent_at IS NOT NULL"
            return sorted(db.execute(query).fetchall())
    return sorted(Message.objects.filter(sent_at__isnull=False).values_list("key", "attempts"))


@pytest.mark.django_db(transaction=True)
def test_advance_tenders_twice_at_once_sends_each_message_once(tmp_path):
    people = [UserFactory(email=f"persoon{n}@firma.example") for n in range(20)]
    Message.objects.bulk_create(  # written, not sent: no task after commit
        Message(key=f"test:{n}", recipient=user, subject=f"Nieuws {n}", body="Tekst")
        for n, user in enumerate(people)
    )
    database_url = database_url_for_other_processes(tmp_path)
    inbox = Inbox(delay=0.25)  # slow enough for the two runs to overlap
    with smtp_server(inbox):
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
            "SITE_URL": "https://dichtbij.example",
        }
        command = [sys.executable, "manage.py", "advance_tenders", "--json"]
        runs = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        results = [run.communicate(timeout=120) for run in runs]

    assert [run.returncode for run in runs] == [0, 0], [err.decode() for _out, err in results]
    counts = [json.loads(out) for out, _err in results]
    assert sorted(inbox.recipients) == sorted(user.email for user in people)  # each once
    assert sum(count["sent"] for count in counts) == 20
    assert all(count["sent"] > 0 for count in counts)  # both really ran at the same time
    assert sent_rows(database_url) == sorted((f"test:{n}", 1) for n in range(20))
