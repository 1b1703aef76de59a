"""StreamField blocks of the association's pages (NHS.UK-style content blocks)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from cms.figures import REGISTRY, figure_compute, figure_kind_choices

MISSING_PARAMETER = _("This kind of figure needs this field.")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "cms/blocks/quote.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Button text"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or a web address"), required=False)

    class Meta:
        icon = "link"
        label = _("Call to action")
        template = "cms/blocks/call_to_action.html"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ErrorList([_("Choose a page or give a web address.")])}
            )
        return value


class FactsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=80, default=_("Facts"))
    facts = blocks.ListBlock(blocks.CharBlock(label=_("Fact"), max_length=200), label=_("Facts"))

    class Meta:
        icon = "list-ul"
        label = _("Facts box")
        template = "cms/blocks/facts.html"


class LiveFigureBlock(blocks.StructBlock):
    """A number from the platform, with its source and date, computed when the page is shown."""

    kind = blocks.ChoiceBlock(choices=figure_kind_choices, label=_("Figure"))
    label = blocks.CharBlock(
        label=_("What the number means"),
        max_length=160,
        help_text=_("For example: open tenders for construction work in the region."),
    )
    cpv_division = blocks.CharBlock(
        label=_("CPV division"),
        required=False,
        max_length=2,
        help_text=_("The first two digits, e.g. 45 for construction work."),
    )
    region = blocks.CharBlock(
        label=_("Region code"), required=False, help_text=_("For example: drechtsteden.")
    )
    municipality = blocks.CharBlock(
        label=_("Municipality code"), required=False, max_length=6, help_text="GM0505"
    )
    year = blocks.IntegerBlock(label=_("Year"), required=False, min_value=2000, max_value=2100)
    measure = blocks.ChoiceBlock(
        choices=[("value", _("By value")), ("count", _("By number of contracts"))],
        default="value",
        required=False,
        label=_("Measure"),
    )

    class Meta:
        icon = "table"
        label = _("Live figure")
        template = "cms/blocks/live_figure.html"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        kind = REGISTRY.get(value.get("kind"))
        if kind is not None:
            missing = {
                name: ErrorList([ValidationError(MISSING_PARAMETER)])
                for name in kind.parameters
                if name != "measure" and value.get(name) in (None, "")
            }
            if missing:
                raise blocks.StructBlockValidationError(block_errors=missing)
        return value

    def get_context(self, value: Any, parent_context: dict | None = None) -> dict[str, Any]:
        context = super().get_context(value, parent_context)
        context["figure"] = figure_of(value)
        return context


def figure_of(value: Any):
    """The live figure a block's value asks for (None: no data yet)."""
    parameters = {name: value.get(name) for name in ("cpv_division", "region", "municipality")}
    parameters.update(year=value.get("year"), measure=value.get("measure") or "value")
    return figure_compute(value.get("kind"), **parameters)


class SpeerpuntBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", label=_("Heading"), max_length=120)
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"]
    )
    quote = QuoteBlock()
    image = ImageBlock(label=_("Image"))
    call_to_action = CallToActionBlock()
    facts = FactsBlock()
    live_figure = LiveFigureBlock()


class ArticleBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", label=_("Heading"), max_length=120)
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"]
    )
    quote = QuoteBlock()
    image = ImageBlock(label=_("Image"))
    call_to_action = CallToActionBlock()
