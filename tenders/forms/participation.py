"""A firm's question about a tender, and the buyer's answer to it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenders.forms.fields import OnBehalfOfForm
from tenders.models import ANSWER_MAX_LENGTH, QUESTION_MAX_LENGTH, Question


class QuestionForm(OnBehalfOfForm):
    text = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The buyer sees which firm asked. Other firms only see the question and the answer."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "question")
        super().__init__(*args, **kwargs)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @classmethod
    def for_question(cls, question: Question, data: Any = None) -> AnswerForm:
        """The answer form of one question on the buyer's page, with its saved answer."""
        return cls(data, prefix=f"answer-{question.pk}", initial={"answer": question.answer or ""})
