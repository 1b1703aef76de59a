"""What the dashboard links to: each app registers its pages for members of a kind of organisation
from its own ``AppConfig.ready`` (DESIGN §3), so the shared dashboard names no app's URLs."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from marketplace.models import Organisation


@dataclass(frozen=True)
class DashboardLink:
    """A page an app offers the members of one kind of organisation."""

    kind: str  # an Organisation.Kind
    label: str | Promise
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_registered: dict[tuple[str, str], DashboardLink] = {}


def dashboard_links_register(*links: DashboardLink) -> None:
    """Offer these pages on the dashboard, in the order given."""
    for link in links:
        _registered[(link.kind, link.url_name)] = link


def dashboard_links_for(organisation: Organisation) -> list[DashboardLink]:
    """The pages the dashboard offers a member of this organisation."""
    return [link for link in _registered.values() if link.kind == organisation.kind]
