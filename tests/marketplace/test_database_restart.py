"""The app keeps serving through a PostgreSQL restart, and a write the restart cut off leaves
nothing behind (DESIGN §7, issue 12.5).

A gunicorn process keeps its database connection between requests (``CONN_MAX_AGE``); after a
restart that connection is dead, and only the health check before reuse (``CONN_HEALTH_CHECKS``)
keeps the next request from failing on it. The test restarts a PostgreSQL cluster of its own, never
the one the other tests use: ``RESTART_TEST_DATABASE_URL`` names a database there (migrated by the
test; it keeps what it writes, so every run uses names of its own) and ``RESTART_TEST_COMMAND``
restarts that cluster. ``.ci/run`` creates the cluster with ``.ci/postgres.sh`` and sets both.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import threading
import time
import uuid

import psycopg
import pytest
from django.conf import settings
from django.urls import reverse

from marketplace.models import AuditEvent
from tenders.models import Lot, Tender
from tests.marketplace.conftest import Response, Visitor, server_environment
from tests.tenders.factories import CONSULTING

DATABASE_URL = os.environ.get("RESTART_TEST_DATABASE_URL", "")
RESTART_COMMAND = os.environ.get("RESTART_TEST_COMMAND", "")
PASSWORD = "een lang wachtwoord voor de herstart"

pytestmark = pytest.mark.skipif(
    not (DATABASE_URL and RESTART_COMMAND),
    reason="RESTART_TEST_DATABASE_URL and RESTART_TEST_COMMAND are not set: this test restarts a "
    "PostgreSQL cluster of its own (.ci/run starts one)",
)

# Run by `manage.py shell` against the restartable database: a buyer of Dordrecht.
MAKE_BUYER = """
import os
from allauth.account.models import EmailAddress
from marketplace.models import Municipality, Organisation, User
from marketplace.services import organisation_create
email = os.environ["RESTART_TEST_EMAIL"]
user = User.objects.create_user(email=email, password=os.environ["RESTART_TEST_PASSWORD"])
EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
organisation = organisation_create(
    name="Gemeente Dordrecht " + email, kind=Organisation.Kind.BUYER, by=user,
    municipality=Municipality.objects.get(pk="GM0505"),
)
print(organisation.pk)
"""


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def restart_database() -> None:
    command = shlex.split(RESTART_COMMAND)
    done = subprocess.run(
        command, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def create_draft(visitor: Visitor, server, title: str) -> Response:
    """Step 1 of a new tender, with two lots: one transaction writes the tender, its lots and
    their audit events."""
    return visitor.post(
        server,
        reverse("tenders:create"),
        {
            "title": title,
            "description": "Een opdracht die een herstart van de database overleeft.",
            "contract_type": "services",
            "main_cpv": CONSULTING,
            "additional_cpv": "",
            "lots-TOTAL_FORMS": "2",
            "lots-INITIAL_FORMS": "0",
            "lots-MIN_NUM_FORMS": "0",
            "lots-MAX_NUM_FORMS": "50",
            "lots-0-title": "Perceel noord",
            "lots-1-title": "Perceel zuid",
        },
    )


def created(response: Response) -> bool:
    return response.status == 200 and "/edit/" in response.url


@pytest.fixture(scope="module")
def database_env() -> dict[str, str]:
    """The app's environment on the restartable database, migrated and with reference data."""
    env = server_environment(DATABASE_URL=DATABASE_URL, DATABASE_CONN_MAX_AGE="60")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_reference_data")
    return env


def wait_for_a_write_waiting_on(table: str) -> str:
    """The query of the server's transaction once it waits for the lock on ``table``."""
    with psycopg.connect(DATABASE_URL, autocommit=True) as watcher:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            row = watcher.execute(
                "SELECT query FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND query LIKE %s",
                [f"%{table}%"],
            ).fetchone()
            if row:
                return row[0]
            time.sleep(0.05)
    raise AssertionError(f"no write waited on {table}")


def test_the_requests_after_a_database_restart_succeed_and_nothing_is_half_written(
    database_env, app_servers
):
    run = uuid.uuid4().hex[:8]
    email = f"inkoper-{run}@dordrecht.example"
    env = {**database_env, "RESTART_TEST_EMAIL": email, "RESTART_TEST_PASSWORD": PASSWORD}
    organisation_id = int(manage(env, "shell", "--no-imports", "-c", MAKE_BUYER).split()[-1])
    server = app_servers("app", database_env)
    buyer = Visitor()
    assert "/accounts/login/" not in buyer.log_in(server, email, PASSWORD).url

    # 1. The database restarts between two requests: the server's kept connection is dead.
    assert created(create_draft(buyer, server, f"Herstart {run} 1"))
    restart_database()
    assert created(create_draft(buyer, server, f"Herstart {run} 2"))

    # 2. It restarts while a request is half-way through its transaction: the tender and its
    # audit event are written, the lots wait for a lock this test holds.
    locker = psycopg.connect(DATABASE_URL)
    locker.execute(f"LOCK TABLE {Lot._meta.db_table} IN EXCLUSIVE MODE")
    cut_off: list[Response] = []
    request = threading.Thread(
        target=lambda: cut_off.append(create_draft(buyer, server, f"Herstart {run} 3"))
    )
    request.start()
    try:
        assert Lot._meta.db_table in wait_for_a_write_waiting_on(Lot._meta.db_table)
        restart_database()
    finally:
        request.join(timeout=60)
        locker.close()
    assert cut_off and cut_off[0].status == 500

    assert created(create_draft(buyer, server, f"Herstart {run} 4"))
    with psycopg.connect(DATABASE_URL) as check:
        tenders = check.execute(
            f"SELECT id, title FROM {Tender._meta.db_table} WHERE buyer_id = %s ORDER BY id",
            [organisation_id],
        ).fetchall()
        lots = check.execute(
            f"SELECT tender_id, count(*) FROM {Lot._meta.db_table} GROUP BY tender_id"
        ).fetchall()
        events = check.execute(
            f"SELECT object_id, action FROM {AuditEvent._meta.db_table}"
            " WHERE organisation_id = %s AND object_type = 'tenders.tender'",
            [organisation_id],
        ).fetchall()
    assert [title for _id, title in tenders] == [f"Herstart {run} {n}" for n in (1, 2, 4)]
    lot_counts = dict(lots)
    assert all(lot_counts.get(pk) == 2 for pk, _title in tenders)
    tender_ids = {str(pk) for pk, _title in tenders}
    assert sorted(events) == sorted(
        (pk, action) for pk in tender_ids for action in ("tender.created", "tender.lots_changed")
    )
