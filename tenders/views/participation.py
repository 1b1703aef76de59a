"""Placeholder until this module is built (issue 4)."""

from django.http import Http404


def tender_follow(request, *args, **kwargs):
    raise Http404


def question_ask(request, *args, **kwargs):
    raise Http404


def question_list_buyer(request, *args, **kwargs):
    raise Http404


def question_answer(request, *args, **kwargs):
    raise Http404


def answers_publish(request, *args, **kwargs):
    raise Http404
