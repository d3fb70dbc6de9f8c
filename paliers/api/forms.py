from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm


class TokenForm(DsfrBaseForm):
    name = forms.CharField(
        label=_("Nom du jeton"),
        help_text=_("Pour le reconnaître plus tard : l’outil ou le script qui s’en servira."),
        max_length=100,
    )
