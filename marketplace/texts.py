"""Django's own texts that Dichtbij says in its own voice ("je", not "u").

Our locale comes before Django's, so a Dutch translation of these message ids in
``locale/nl/LC_MESSAGES/django.po`` replaces Django's. Naming them here keeps ``makemessages``
from dropping them as obsolete. Nothing imports this module: it is read by ``makemessages`` only.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

PASSWORD_RULES = [
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
]
