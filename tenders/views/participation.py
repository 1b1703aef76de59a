"""Following a tender and its questions: the firm's part on the tender page, the buyer's
question page (DESIGN §4.4). Only the buyer learns which firm asked a question."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from suppliers.selectors import firms_of
from tenders.forms.participation import AnswerForm, QuestionForm
from tenders.models import PUBLIC_STATUSES, Follow, Question, Status, Tender
from tenders.selectors.memberships import is_tender_buyer, posted_firm
from tenders.selectors.questions import accepts_questions, close_blockers, question_deadline_of
from tenders.selectors.visibility import get_tender_for_buyer, get_tender_for_viewer
from tenders.services import participation as services


def _detail_url(tender: Tender) -> str:
    return reverse("tenders:detail", args=[tender.pk]) + "#participation"


def participation_context(
    request: HttpRequest, tender: Tender, question_form: QuestionForm | None = None
) -> dict[str, Any]:
    """What ``tenders/includes/participation.html`` needs, under one key so that it never
    overrides the detail page's own context."""
    user = request.user
    context: dict[str, Any] = {
        "tender": tender,
        "anonymous": not user.is_authenticated,
        "login_url": reverse("account_login") + "?" + urlencode({"next": _detail_url(tender)}),
        "is_buyer": is_tender_buyer(user, tender),
        "followable": tender.status in PUBLIC_STATUSES,
        "questions_open": accepts_questions(tender),
        "question_deadline": question_deadline_of(tender),
        "firms": [],
        "own_questions": [],
    }
    firms = firms_of(user)
    if firms and not context["is_buyer"]:
        following = set(
            Follow.objects.filter(tender=tender, firm__in=firms).values_list("firm_id", flat=True)
        )
        context["firms"] = [{"firm": firm, "following": firm.pk in following} for firm in firms]
        context["several_firms"] = len(firms) > 1
        context["question_form"] = question_form or QuestionForm(firms=firms)
        context["own_questions"] = list(
            tender.questions.filter(firm__in=firms).select_related("firm").order_by("number")
        )
    return {"participation": context}


@login_required
@require_POST
def tender_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow or stop following a tender for one of the user's firms."""
    tender = get_tender_for_viewer(request.user, pk)
    firm = posted_firm(firms_of(request.user), request.POST.get("firm"))
    action = request.POST.get("action")
    if action not in ("follow", "unfollow"):
        following = Follow.objects.filter(tender=tender, firm=firm).exists()
        action = "unfollow" if following else "follow"
    try:
        if action == "follow":
            services.tender_follow(tender=tender, firm=firm, by=request.user)
            messages.success(
                request,
                _("%(firm)s follows this tender now: you hear about every change and answer.")
                % {"firm": firm.name},
            )
        else:
            services.tender_unfollow(tender=tender, firm=firm, by=request.user)
            messages.success(
                request, _("%(firm)s no longer follows this tender.") % {"firm": firm.name}
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(_detail_url(tender))


@login_required
@require_http_methods(["GET", "POST"])
def question_ask(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask a question (posted from the tender page); errors show here with the text kept."""
    tender = get_tender_for_viewer(request.user, pk)
    firms = firms_of(request.user)
    if not firms:
        raise PermissionDenied
    form = QuestionForm(request.POST if request.method == "POST" else None, firms=firms)
    if form.is_valid():
        try:
            question = services.question_ask(
                tender=tender,
                firm=form.cleaned_data["firm"],
                by=request.user,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Your question is sent as question %(number)s. You get an e-mail when the "
                    "answers are published."
                )
                % {"number": question.number},
            )
            return redirect(_detail_url(tender))
    context = participation_context(request, tender, question_form=form)
    return render(request, "tenders/questions/ask.html", context)


def _buyer_page(
    request: HttpRequest, tender: Tender, bound: dict[int, AnswerForm] | None = None
) -> HttpResponse:
    questions = list(tender.questions.select_related("firm", "asked_by", "answered_by"))
    bound = bound or {}
    rows = [(q, bound.get(q.pk) or AnswerForm.for_question(q)) for q in questions]
    unanswered = sum(1 for q in questions if not q.is_answered)
    to_publish = sum(1 for q in questions if q.is_answered and not q.is_published)
    deadline_passed = tender.effective_status == Status.CLOSED and tender.status == Status.PUBLISHED
    context = {
        "tender": tender,
        "rows": rows,
        "unanswered": unanswered,
        "to_publish": to_publish,
        "may_answer": tender.status == Status.PUBLISHED,
        "blockers": close_blockers(tender) if deadline_passed else [],
        "questions_open": accepts_questions(tender),
        "question_deadline": question_deadline_of(tender),
    }
    return render(request, "tenders/questions/list_buyer.html", context)


@login_required
@require_http_methods(["GET"])
def question_list_buyer(request: HttpRequest, pk: int) -> HttpResponse:
    """Every question of the tender with the asking firm, for the buyer to answer."""
    return _buyer_page(request, get_tender_for_buyer(request, pk))


@login_required
@require_POST
def question_answer(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Save the answer to one question; firms see it once the answers are published."""
    tender = get_tender_for_buyer(request, pk)
    question = get_object_or_404(Question, pk=question_pk, tender=tender)
    form = AnswerForm.for_question(question, request.POST)
    if form.is_valid():
        try:
            services.question_answer(
                question=question, by=request.user, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The answer to question %(number)s is saved. Publish it when you are ready.")
                % {"number": question.number},
            )
            return redirect(reverse("tenders:questions", args=[tender.pk]) + f"#q{question.pk}")
    return _buyer_page(request, tender, bound={question.pk: form})


@login_required
@require_POST
def answers_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish every saved answer at once; invited and following firms get one e-mail."""
    tender = get_tender_for_buyer(request, pk)
    try:
        published = services.answers_publish(tender=tender, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s answer is published. Invited and following firms get an e-mail.",
                "%(count)s answers are published. Invited and following firms get an e-mail.",
                len(published),
            )
            % {"count": len(published)},
        )
    return redirect("tenders:questions", pk=tender.pk)
