"""UAI (unité administrative immatriculée): 7 characters and a check letter.

The letter is at index (the 7 characters read as an integer) mod 23 in CHECK_LETTERS.
The first three characters are the département (digits, or 2A/2B-free forms such as
620 and 720 for Corsica, 971… for overseas).
"""

import re

from django.utils.translation import gettext as _

CHECK_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
UAI_PATTERN = re.compile(r"^\d{7}[A-Z]$")


def check_letter(seven_digits):
    return CHECK_LETTERS[int(seven_digits) % 23]


def normalize_uai(value):
    return (value or "").strip().upper()


def uai_error(value):
    """Why `value` is not a valid UAI, in the interface's language, or "" when it is."""
    uai = normalize_uai(value)
    if not uai:
        return _("UAI manquant")
    if not UAI_PATTERN.match(uai):
        return _("UAI « %(uai)s » mal formé (7 chiffres puis une lettre attendus)") % {"uai": uai}
    expected = check_letter(uai[:7])
    if uai[7] != expected:
        return _("UAI « %(uai)s » : lettre de contrôle %(letter)s au lieu de %(expected)s") % {
            "uai": uai,
            "letter": uai[7],
            "expected": expected,
        }
    return ""


def is_valid_uai(value):
    return not uai_error(value)


def make_uai(seven_digits):
    """The full UAI of seven digits (used to generate demonstration schools)."""
    return f"{seven_digits}{check_letter(seven_digits)}"
