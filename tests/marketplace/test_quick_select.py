"""QuickSelect writes the same HTML as Django's Select, only faster."""

from __future__ import annotations

from django import forms
from django.test import SimpleTestCase

from marketplace.forms import QuickSelect

CHOICES = [
    ("", "Elke gemeente"),
    ("GM0505", "Dordrecht"),
    ("GM0642", "Zwijndrecht & <Co>"),
    ("Provincies", [("PV28", "Zuid-Holland"), ("PV27", "Noord-Holland")]),
]


class QuickSelectTests(SimpleTestCase):
    def assert_same(self, value, attrs=None):
        slow = forms.Select(choices=CHOICES).render("near", value, attrs)
        quick = QuickSelect(choices=CHOICES).render("near", value, attrs)
        self.assertHTMLEqual(quick, slow)

    def test_same_html_with_nothing_chosen(self):
        self.assert_same(None, {"id": "id_near", "aria-describedby": "near-help"})

    def test_same_html_with_a_choice_in_a_group_and_escaped_labels(self):
        self.assert_same("PV28", {"id": "id_near", "required": True})
        self.assert_same("GM0642")

    def test_the_chosen_option_is_selected(self):
        html = QuickSelect(choices=CHOICES).render("near", "GM0505")
        self.assertIn('<option value="GM0505" selected>Dordrecht</option>', html)
        self.assertIn("Zwijndrecht &amp; &lt;Co&gt;", html)
