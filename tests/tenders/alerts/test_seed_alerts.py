"""seed_demo gives the painter the subscription DESIGN §6 names, once."""

from __future__ import annotations

import pytest

from tenders.alerts.models import Subscription
from tenders.alerts.selectors import subscription_open_tenders
from tests.tenders.test_seed_demo import seed_demo

pytestmark = pytest.mark.django_db


def test_the_painter_has_an_instant_painting_alert_in_the_drechtsteden(reference_data):
    seed_demo()
    seed_demo()  # again: still one
    subscription = Subscription.objects.get(user__email="schilder@firma.example")
    assert subscription.frequency == "instant"
    assert subscription.region.name == "Drechtsteden"
    assert list(subscription.cpvs.values_list("code", flat=True)) == ["45440000"]
    assert subscription.firm.memberships.filter(user=subscription.user).exists()
    for tender in subscription_open_tenders(subscription):
        assert (
            tender.main_cpv_id.startswith("4544")
            or tender.additional_cpv.filter(code__startswith="4544").exists()
        )
