from django import forms
from django.utils.translation import gettext_lazy as _

from paliers.assessments.stages import Stage
from paliers.observatory.forms import ObservatoryForm
from paliers.observatory.selection import PARTIAL, covered_departments

from .query import EVERY, NOT_CONCERNED, Choice

# By default the schools a campaign concerns, whatever their state: listing the collèges of an
# académie « non concernés » by its écoles' campaign would fill the first pages of its caseload.
STATE_CHOICES = [
    ("", _("concernés, tous états")), *Stage.choices, (NOT_CONCERNED, _("non concernés")),
    (EVERY, _("tous, concernés ou non")),
]  # fmt: skip


class CaseloadForm(ObservatoryForm):
    """The caseload's campaign, filters and search, in the query string: the observatory's
    choices (a round, and the départements and districts of the user's scope) and more."""

    q = forms.CharField(
        label=_("Rechercher une école"),
        help_text=_("Nom, UAI ou commune."),
        required=False,
        max_length=100,
    )
    etat = forms.ChoiceField(label=_("État du positionnement"), choices=STATE_CHOICES, required=False)
    attention = forms.BooleanField(label=_("À suivre en priorité seulement"), required=False)
    field_order = ["q", "campagne", "etat", "type", "departement", "district", "ep", "secteur", "attention"]

    def __init__(self, data, *, user, rounds):
        super().__init__(data, user=user, rounds=rounds)
        del self.fields["positionnements"]  # every school is listed, whatever its state
        several = self.fields["departement"].queryset.count() > 1
        if several and not self.data.get("departement") and not self.data.get("district"):
            # An académie's hundreds of districts: one département's are a list one can read.
            del self.fields["district"]
            self.fields["departement"].help_text = _("Choisissez-en un pour filtrer ensuite par district.")
        elif not several and not self.data.get("departement"):
            del self.fields["departement"]  # one only (an animator's, an observer's): no choice
        self.only_district = None  # the one district of the whole scope (an animator's): no column
        district = self.fields.get("district")
        if district is not None and district.queryset.count() <= 1 and not self.data.get("district"):
            if covered_departments(user) == PARTIAL:
                self.only_district = district.queryset.first()
            del self.fields["district"]
        self.order_fields(self.field_order)

    def choice(self, sort="nom"):
        """(Round, Choice), or None when the form is invalid or there is no round."""
        selection = self.selection()
        if selection is None:
            return None
        round, filters = selection
        data = self.cleaned_data
        state = data["etat"]
        return round, Choice(
            q=data["q"],
            state="" if state == EVERY else state,
            # « À suivre en priorité » alone: every school, as its count (a request or an
            # objective does not depend on the round).
            concerned=not state and not data["attention"],
            department=filters.department,
            district=filters.district,
            kind=filters.kind,
            sector=filters.sector,
            priority=filters.priority,
            attention=data["attention"],
            sort=sort,
        )
