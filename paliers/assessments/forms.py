from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AnswerValue


class AnswerForm(forms.Form):
    """One criterion's answer. The template draws the fields (radios in a fieldset per
    criterion), so this is a plain form: it validates and cleans."""

    value = forms.ChoiceField(label=_("Réponse"), choices=AnswerValue.choices)
    comment = forms.CharField(label=_("Commentaire"), required=False, max_length=2000)
    evidence_url = forms.URLField(
        label=_("Lien vers une preuve"), required=False, max_length=500, assume_scheme="https"
    )
    # The answer's version this form was filled over: a save over another one is a conflict.
    seen_version = forms.IntegerField(min_value=0, required=False)

    def clean_seen_version(self):
        return self.cleaned_data["seen_version"] or 0
