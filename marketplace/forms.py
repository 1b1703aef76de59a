"""Account forms (allauth's, with plain Dutch labels, no placeholder noise) and shared widgets."""

from __future__ import annotations

from html import escape
from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


def _tidy(form: forms.Form) -> None:
    """Labels say what to type; placeholders would only repeat them."""
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)


class LoginForm(AllauthLoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail address")
        self.fields["password"].label = _("Password")
        self.fields["remember"].label = _("Stay logged in on this device")
        _tidy(self)


NAME_MAX_LENGTH = 150


class SignupForm(AllauthSignupForm):
    """Sign-up asks the person's name too: colleagues and buyers see who acts."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("First and last name, as colleagues and buyers will see it."),
        error_messages={"required": _("Fill in your name.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        self.fields["password1"].label = _("Password")
        self.fields["password2"].label = _("Password (again)")
        self.order_fields(["name", "email", "password1", "password2"])
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        _tidy(self)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Fill in your name."), code="required")
        return name

    def custom_signup(self, request: Any, user: Any) -> None:
        first, _space, last = self.cleaned_data["name"].partition(" ")
        user.first_name, user.last_name = first[:150], last[:150]
        user.save(update_fields=["first_name", "last_name"])
        super().custom_signup(request, user)


class ResetPasswordForm(AllauthResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        _tidy(self)


class QuickSelect(forms.Select):
    """Django's ``Select`` with the same HTML, written in Python instead of one template per
    option: a list of all 342 municipalities costs some 30 ms a page otherwise."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        parts = [f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>']

        def option(option_value, label) -> str:
            text = "" if option_value is None else str(option_value)
            selected = " selected" if text in chosen else ""
            return f'<option value="{escape(text)}"{selected}>{escape(str(label))}</option>'

        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(f'<optgroup label="{escape(str(option_value))}">')
                parts.extend(option(v, text) for v, text in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped
