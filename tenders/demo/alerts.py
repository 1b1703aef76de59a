"""The demo's subscription (DESIGN §6): the painter's instant alert for painting work, CPV
45440000 subtree, in the Drechtsteden."""

from __future__ import annotations

from marketplace.models import Municipality, Organisation, User
from tenders.alerts.models import Frequency, Subscription
from tenders.alerts.services import subscription_save

PAINTER = "schilder@firma.example"
NAME = "Schilderwerk in de Drechtsteden"


def demo_alerts_seed() -> int:
    """Give the painter the subscription once; returns how many were created."""
    user = User.objects.filter(email=PAINTER).first()
    if user is None or Subscription.objects.filter(user=user, name=NAME).exists():
        return 0
    firm = Organisation.objects.for_member(user).filter(kind=Organisation.Kind.FIRM).first()
    if firm is None:
        return 0
    drechtsteden = Municipality.objects.get(pk="GM0505").region_id
    subscription_save(
        user=user,
        firm=firm,
        name=NAME,
        query={"cpv": "45440000", "region": drechtsteden},
        frequency=Frequency.INSTANT,
    )
    return 1
