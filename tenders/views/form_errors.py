"""Errors on the buyer's and firm's forms: a service's ValidationError put on the fields, and the
summary at the top of a page with a link to each field (GOV.UK / NL Design System pattern)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import BaseForm, BaseFormSet


def add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields where they exist."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def error_summary(*parts: BaseForm | BaseFormSet, row_labels: dict[str, str] | None = None):
    """The error summary's lines: a label, the messages, and a link to the field."""
    items = []
    for part in parts:
        if isinstance(part, BaseFormSet):
            items += [
                {"href": f"#{part.prefix}-rows", "label": "", "text": message}
                for message in part.non_form_errors()
            ]
            row_label = (row_labels or {}).get(part.prefix, "%(number)s")
            forms = [(form, row_label % {"number": n}) for n, form in enumerate(part.forms, 1)]
        else:
            forms = [(part, "")]
        for form, prefix in forms:
            items += [{"href": "", "label": "", "text": m} for m in form.non_field_errors()]
            for field in form.hidden_fields():
                items += [{"href": "", "label": "", "text": m} for m in field.errors]
            for field in form.visible_fields():
                if field.errors:
                    anchor = f"{field.auto_id}_0" if field.use_fieldset else field.id_for_label
                    label = f"{prefix} · {field.label}" if prefix else field.label
                    items.append(
                        {"href": f"#{anchor}", "label": label, "text": " ".join(field.errors)}
                    )
    return items
