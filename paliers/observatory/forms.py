from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from paliers.frameworks.models import Audience
from paliers.frameworks.widgets import FrameworkTextSelect
from paliers.schools.forms import DistrictChoiceField
from paliers.schools.models import Department, District, SchoolKind, Sector
from paliers.schools.similarity import group_for

from .selection import PARTIAL, PRIORITY_CHOICES, Filters, covered_departments, observatory_schools

MAX_DEPARTMENTS_FOR_ALL_DISTRICTS = 8


class ObservatoryForm(DsfrBaseForm):
    """The round and the filters of the observatory's pages, in the query string: offering
    only what lies in the user's scope, so that a choice outside it is refused."""

    campagne = forms.ChoiceField(label=_("Campagne"), widget=FrameworkTextSelect)
    departement = forms.ModelChoiceField(
        label=_("Département"), queryset=Department.objects.none(), required=False, empty_label=_("tous")
    )
    district = DistrictChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False, empty_label=_("tous")
    )
    type = forms.ChoiceField(label=_("Type"), choices=[("", _("tous")), *SchoolKind.choices], required=False)
    secteur = forms.ChoiceField(
        label=_("Secteur"), choices=[("", _("tous")), *Sector.choices], required=False
    )
    ep = forms.ChoiceField(label=_("Éducation prioritaire"), choices=PRIORITY_CHOICES, required=False)
    semblables = forms.CharField(
        label=_("Écoles semblables à (UAI)"),
        required=False,
        max_length=8,
        help_text=_("Les écoles semblables de son académie : même type, secteur, éducation prioritaire."),
    )
    positionnements = forms.ChoiceField(
        label=_("Positionnements comptés dans les résultats"),
        choices=[("", _("commencés (en cours ou soumis)")), ("soumis", _("soumis seulement"))],
        required=False,
    )

    def __init__(self, data, *, user, rounds):
        """`data`: the query string (None when there is no round to show: an unbound form)."""
        if data is not None:
            data = data.copy()
            if not data.get("campagne") and rounds:
                # By default the latest school's positioning, not a team questionnaire's
                # campaign (on the jalons, answered through the anonymous questionnaire).
                schools_own = [r for r in rounds if r.framework.audience != Audience.EQUIPE]
                data["campagne"] = (schools_own or rounds)[0].key
        super().__init__(data)
        self.user = user
        data = data or {}
        self.rounds = {r.key: r for r in rounds}
        self.fields["campagne"].choices = [(r.key, r.label) for r in rounds]
        self.fields["campagne"].widget.rows = {r.key: r.framework for r in rounds}
        covered = covered_departments(user)
        if covered is None:
            departments = Department.objects.all()
        elif covered == PARTIAL:
            departments = Department.objects.filter(pk__in=observatory_schools(user).values("department_id"))
        else:
            departments = Department.objects.filter(pk__in=covered)
        self.fields["departement"].queryset = departments
        chosen = data.get("departement")
        if covered == PARTIAL:
            districts = District.objects.filter(schools__in=observatory_schools(user)).distinct()
        else:
            districts = District.objects.filter(department__in=departments)
        if chosen and str(chosen).isdigit():
            districts = districts.filter(department_id=chosen)
        elif covered != PARTIAL and departments.count() > MAX_DEPARTMENTS_FOR_ALL_DISTRICTS:
            districts = districts.none()  # thousands nationally: a list that long helps no one
            self.fields["district"].help_text = _("Choisissez d’abord un département.")
        self.fields["district"].queryset = districts.order_by("kind", "name")

    def clean_semblables(self):
        """The group of similar schools of the school whose UAI is given, in the user's scope."""
        uai = self.cleaned_data["semblables"].strip().upper()
        if not uai:
            return None
        school = observatory_schools(self.user).filter(uai=uai).select_related("department").first()
        if school is None:
            raise forms.ValidationError(
                _("Aucune école de votre périmètre n’a l’UAI « %(uai)s ».") % {"uai": uai}
            )
        group = group_for(school)
        if group is None:
            raise forms.ValidationError(
                _("%(school)s n’a pas d’écoles semblables en nombre suffisant (au moins 5).")
                % {"school": school}
            )
        return group

    def selection(self):
        """(Round, Filters), or None when the form is invalid or there is no round."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        filters = Filters(
            department=data.get("departement"),  # absent from a form that leaves it out (caseload)
            district=data.get("district"),
            kind=data["type"],
            sector=data["secteur"],
            priority=data["ep"],
            submitted_only=data.get("positionnements") == "soumis",
            similar=data.get("semblables"),
        )
        return self.rounds[data["campagne"]], filters
