"""The alerts pages at /alerts/: a member's subscriptions, saving a search, pause, edit, delete."""

from __future__ import annotations

from urllib.parse import parse_qs

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tenders.alerts.forms import SaveSearchForm, SubscriptionForm
from tenders.alerts.selectors import (
    firm_of,
    subscription_for_owner,
    subscription_for_token,
    subscriptions_with_counts,
)
from tenders.alerts.services import (
    subscription_delete,
    subscription_pause,
    subscription_save,
)


def _query_of(text: str) -> dict:
    return {
        key: values if len(values) > 1 or key == "procedure" else values[0]
        for key, values in parse_qs(text).items()
    }


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tenders/alerts/list.html",
        {"rows": subscriptions_with_counts(request.user), "firm": firm_of(request.user)},
    )


@login_required
def alert_new(request: HttpRequest) -> HttpResponse:
    """Save the tender list's filters as an alert; a bad search is explained, nothing lost."""
    firm = firm_of(request.user)
    query_text = (
        request.POST.get("query", "") if request.method == "POST" else request.GET.urlencode()
    )
    form = SaveSearchForm(request.POST or None, initial={"query": query_text})
    if firm is None:
        form.add_error(None, _("Only members of a firm can save alerts."))
    elif request.method == "POST" and form.is_valid():
        try:
            subscription_save(
                user=request.user,
                firm=firm,
                name=form.cleaned_data["name"],
                query=_query_of(form.cleaned_data["query"]),
                frequency=form.cleaned_data["frequency"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Alert saved. You will hear of new matching tenders."))
            return redirect("alerts:list")
    return render(request, "tenders/alerts/new.html", {"form": form, "query_text": query_text})


@login_required
def alert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = subscription_for_owner(request.user, pk)
    form = SubscriptionForm(request.POST or None, instance=subscription)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Alert saved."))
        return redirect("alerts:list")
    return render(request, "tenders/alerts/edit.html", {"form": form, "subscription": subscription})


@login_required
@require_POST
def alert_pause(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = subscription_for_owner(request.user, pk)
    paused = not subscription.paused
    subscription_pause(subscription=subscription, by=request.user, paused=paused)
    messages.success(request, _("Alert paused.") if paused else _("Alert resumed."))
    return redirect("alerts:list")


@login_required
@require_POST
def alert_delete(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = subscription_for_owner(request.user, pk)
    subscription_delete(subscription=subscription, by=request.user)
    messages.success(request, _("Alert deleted."))
    return redirect("alerts:list")


@csrf_exempt  # RFC 8058: a mail client POSTs without a session or CSRF token; the token is proof
def alert_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirmation and changes nothing (link scanners follow GETs); POST pauses the
    subscription. A tampered or old token changes nothing and says so."""
    subscription = subscription_for_token(token)
    done = False
    if subscription is not None and request.method == "POST":
        subscription_pause(subscription=subscription, by=None, paused=True)
        done = True
    status = 404 if subscription is None else 200
    return render(
        request,
        "tenders/alerts/unsubscribe.html",
        {"subscription": subscription, "done": done, "token": token},
        status=status,
    )
