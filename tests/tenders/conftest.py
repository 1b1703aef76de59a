"""What tenders tests share: private files in the test's own folder, a standing clock, and
published open tenders made to order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine

from tenders.models import Procedure, Tender
from tests.tenders.factories import MONDAY, TenderFactory


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path) -> Path:
    """Documents and quotes go to this test's own folder, never to the developer's var/."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def monday_morning():
    """Monday 2 March 2026, 10:00 in Dordrecht; the clock stands still until the test moves it."""
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def public(buyer_org) -> Callable[..., Tender]:
    """Makes published open-procedure tenders of Dordrecht; given a quote deadline, the question
    deadline falls a day before it."""

    def make(**fields) -> Tender:
        fields.setdefault("procedure", Procedure.NATIONAL)
        fields.setdefault("buyer", buyer_org)
        if "quote_deadline" in fields:
            fields.setdefault("question_deadline", fields["quote_deadline"] - timedelta(days=1))
        return TenderFactory(published=True, **fields)

    return make
