"""Firm profiles: the public page, registration, editing, and inviting colleagues."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from marketplace.models import Role
from suppliers import services
from suppliers.forms.profiles import FirmForm, FirmInvitationForm, FirmRegisterForm
from suppliers.models import Size
from suppliers.selectors import (
    firm_invitation_refusal,
    firms_of,
    get_firm_for_member,
    get_firm_for_visitor,
    get_invitation,
    pending_invitations,
)

FIRM_ROLES = (Role.FIRM_MEMBER, Role.FIRM_ADMIN)


def firm_detail(request: HttpRequest, kvk_number: str) -> HttpResponse:
    """A firm's public profile; its members also see it while it is not published."""
    firm, membership = get_firm_for_visitor(request, kvk_number)
    size_label = Size(firm.size).label if firm.size else None
    context = {"firm": firm, "membership": membership, "size_label": size_label}
    return render(request, "suppliers/firm_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def firm_register(request: HttpRequest) -> HttpResponse:
    """Put a firm on Dichtbij; the person registering it becomes its administrator."""
    form = FirmRegisterForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            firm = services.firm_register(
                user=request.user, data=form.firm_data(form.cleaned_data["kvk_number"])
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s is on Dichtbij now, in the municipality of %(municipality)s. "
                    "This is your public profile."
                )
                % {"name": firm.name, "municipality": firm.municipality.name},
            )
            return redirect("suppliers:detail", kvk_number=firm.kvk_number)
    context = {"form": form, "own_firms": firms_of(request.user)}
    return render(request, "suppliers/firm_register.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def firm_edit(request: HttpRequest, kvk_number: str) -> HttpResponse:
    """Change a firm's profile, for its members."""
    firm, _membership = get_firm_for_member(request, kvk_number, roles=FIRM_ROLES)
    if request.method == "POST":
        form = FirmForm(request.POST)
    else:
        form = FirmForm(initial=FirmForm.initial_for(firm))
    if form.is_valid():
        try:
            firm = services.firm_update(
                firm=firm, data=form.firm_data(firm.kvk_number), by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("suppliers:detail", kvk_number=firm.kvk_number)
    return render(request, "suppliers/firm_form.html", {"form": form, "firm": firm})


@login_required
@require_http_methods(["GET", "POST"])
def firm_invite(request: HttpRequest, kvk_number: str) -> HttpResponse:
    """Invite a colleague by e-mail, for the firm's administrators."""
    firm, _membership = get_firm_for_member(request, kvk_number, roles=[Role.FIRM_ADMIN])
    form = FirmInvitationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            invitation = services.firm_invitation_create(
                organisation=firm.organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("We sent the invitation to %(email)s. It works for 14 days.")
                % {"email": invitation.email},
            )
            return redirect("suppliers:invite", kvk_number=firm.kvk_number)
    context = {
        "firm": firm,
        "form": form,
        "invitations": pending_invitations(firm.organisation).select_related("invited_by"),
    }
    return render(request, "suppliers/invitation_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Show an invitation to the person it was sent to, and let them accept it."""
    invitation = get_invitation(token)
    problem = None
    try:
        if refusal := firm_invitation_refusal(invitation, request.user):
            raise refusal
        if request.method == "POST":
            services.firm_invitation_accept(invitation=invitation, user=request.user)
            messages.success(
                request,
                _("Welcome to %(firm)s. You can now edit its profile.")
                % {"firm": invitation.organisation.name},
            )
            return redirect(
                reverse("suppliers:detail", args=[invitation.organisation.firm.kvk_number])
            )
    except ValidationError as error:
        problem = error.messages[0]
    context = {"invitation": invitation, "problem": problem}
    return render(request, "suppliers/invitation_accept.html", context)
