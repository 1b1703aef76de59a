"""factory_boy factories for the shared nouns."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.utils.text import slugify

from marketplace.models import Membership, Municipality, Organisation, Role, User
from suppliers.models import Firm

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Test"
    last_name = "Persoon"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):  # noqa: N805
        """A verified primary address, so the person can log in (pass verified=False to skip)."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Organisation.Kind.FIRM


class BuyerOrganisationFactory(OrganisationFactory):
    kind = Organisation.Kind.BUYER
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(pk="GM0505"))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.FIRM_MEMBER


class FirmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Firm

    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.FIRM)
    kvk_number = factory.Sequence(lambda n: f"{90000000 + n}")
    description = "Schilderwerk binnen en buiten."
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(pk="GM0505"))
    latitude = factory.LazyAttribute(lambda o: o.municipality.latitude)
    longitude = factory.LazyAttribute(lambda o: o.municipality.longitude)
