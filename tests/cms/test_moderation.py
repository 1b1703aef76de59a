"""Moderation: editors draft and submit, moderators approve or reject; scheduled publishing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import WorkflowState

from cms.models import SpeerpuntPage
from tests.cms.conftest import make_speerpunt

pytestmark = pytest.mark.django_db


def submit_as(client, user, index, title: str) -> SpeerpuntPage:
    """The editor fills in the admin's add form and clicks "Submit for moderation"."""
    client.force_login(user)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("cms", "speerpuntpage", index.pk)),
        {
            "title": title,
            "slug": slugify(title),
            "summary": "Ondernemers vinden elkaar.",
            "body-count": "0",
            "action-submit": "Submit",
        },
    )
    assert response.status_code == 302, response.context["form"].errors.as_json()
    return SpeerpuntPage.objects.get(title=title)


def act_as(client, user, page, action: str, comment: str = ""):
    client.force_login(user)
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    return client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, action, state.current_task_state.pk),
        ),
        {"comment": comment},
    )


def test_the_admin_speaks_dutch_to_an_editor(client, editor):
    client.force_login(editor)

    content = client.get("/admin/").content.decode()

    assert 'lang="nl"' in content


def test_an_editor_may_draft_and_submit_but_not_publish(client, editor, speerpunten_index):
    page = submit_as(client, editor, speerpunten_index, "Ruimte om te ondernemen")

    assert not page.live
    assert WorkflowState.objects.filter(object_id=str(page.pk), status="in_progress").exists()
    assert not page.permissions_for_user(editor).can_publish()
    assert client.get("/speerpunten/ruimte-om-te-ondernemen/").status_code == 404


def test_an_editor_who_tries_to_publish_does_not_get_it_live(client, editor, speerpunten_index):
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:add", args=("cms", "speerpuntpage", speerpunten_index.pk)),
        {
            "title": "Stiekem live",
            "slug": "stiekem-live",
            "summary": "Zonder toestemming.",
            "body-count": "0",
            "action-publish": "Publish",
        },
    )

    assert not SpeerpuntPage.objects.filter(title="Stiekem live", live=True).exists()


def test_the_moderator_approves_and_the_speerpunt_goes_live(
    client, editor, moderator, speerpunten_index
):
    page = submit_as(client, editor, speerpunten_index, "Bereikbaarheid")

    response = act_as(client, moderator, page, "approve", "Prima stuk.")

    page.refresh_from_db()
    assert response.status_code in (200, 302)
    assert page.live
    client.logout()
    assert client.get("/speerpunten/").content.decode().count("Bereikbaarheid") >= 1
    assert client.get("/speerpunten/bereikbaarheid/").status_code == 200


def test_the_moderator_rejects_with_a_comment_and_it_stays_off_the_site(
    client, editor, moderator, speerpunten_index
):
    page = submit_as(client, editor, speerpunten_index, "Half af")

    act_as(client, moderator, page, "reject", "Graag een bron bij de cijfers.")

    page.refresh_from_db()
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert not page.live
    assert state.status == "needs_changes"
    assert state.current_task_state.comment == "Graag een bron bij de cijfers."


def test_a_scheduled_page_goes_live_and_expires_by_the_periodic_job(client, speerpunten_index):
    page = make_speerpunt(speerpunten_index, "Later live", live=False)
    page.go_live_at = timezone.now() - timedelta(minutes=1)
    page.save_revision().publish()  # with go_live_at passed it is published at once
    expiring = make_speerpunt(speerpunten_index, "Tijdelijk")
    future = make_speerpunt(speerpunten_index, "Volgend jaar", live=False)
    future.go_live_at = timezone.now() + timedelta(days=365)
    future.save_revision().publish()
    SpeerpuntPage.objects.filter(pk=expiring.pk).update(
        expire_at=timezone.now() - timedelta(minutes=1)
    )

    call_command("advance_tenders")

    expiring.refresh_from_db()
    future.refresh_from_db()
    assert not expiring.live and expiring.expired
    assert not future.live
    assert client.get("/speerpunten/later-live/").status_code == 200
    assert client.get("/speerpunten/volgend-jaar/").status_code == 404


def test_a_scheduled_revision_is_published_when_its_time_comes(client, speerpunten_index):
    page = make_speerpunt(speerpunten_index, "Op tijd", live=False)
    revision = page.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))
    SpeerpuntPage.objects.filter(pk=page.pk).update(has_unpublished_changes=True)
    assert revision.approved_go_live_at is not None

    call_command("advance_tenders")

    page.refresh_from_db()
    assert page.live
    assert client.get("/speerpunten/op-tijd/").status_code == 200
