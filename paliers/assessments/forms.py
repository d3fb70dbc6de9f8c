from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AnswerValue


class ContributionForm(forms.Form):
    """One criterion's answer on a page of criteria: its fields are named after the
    criterion (`prefix`, « PIL.1.1-value »), so that one form element holds the whole page
    (saved at once without JavaScript) and htmx sends one criterion's fields. The template
    draws the fields; this form validates and cleans."""

    value = forms.ChoiceField(
        label=_("Réponse"),
        choices=AnswerValue.choices,
        error_messages={"invalid_choice": _("Choisissez l’une des réponses proposées.")},
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=2000,
        error_messages={
            "max_length": _(
                "Le commentaire compte %(show_value)d caractères : 2 000 au plus. Raccourcissez-le ; "
                "votre texte est gardé ci-dessous."
            )
        },
    )
    # The answer's version this form was filled over: a save over another one is a conflict;
    # the digest of what the page showed tells a criterion the user changed from one left as it was.
    seen_version = forms.IntegerField(min_value=0, required=False)
    seen_digest = forms.CharField(max_length=64, required=False)

    def clean_seen_version(self):
        return self.cleaned_data["seen_version"] or 0

    def entry(self, criterion):
        return {"criterion": criterion, "evidence_url": "", **self.cleaned_data}


class AnswerForm(ContributionForm):
    """The collective answer adds an evidence link."""

    evidence_url = forms.URLField(
        label=_("Lien vers une preuve"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": _(
                "Ce lien n’est pas une adresse web valide : écrivez-la entière, par exemple "
                "https://ent.example.fr/document. Votre saisie est gardée ci-dessous."
            ),
            "max_length": _("Le lien compte %(show_value)d caractères : 500 au plus."),
        },
    )


def page_forms(form_class, data, criteria):
    """{code: bound form} for the criteria of `criteria` whose fields `data` carries."""
    return {c.code: form_class(data, prefix=c.code) for c in criteria if f"{c.code}-value" in data}
