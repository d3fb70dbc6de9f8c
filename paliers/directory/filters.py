from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from paliers.schools.forms import DistrictChoiceField
from paliers.schools.models import Department, District, PriorityEducation, SchoolKind, Sector

MAX_DEPARTMENTS_FOR_ALL_DISTRICTS = 8


class SchoolFilterForm(DsfrBaseForm):
    """Search and filters of the directory, offering only what lies in the user's scope."""

    q = forms.CharField(label=_("Nom, UAI ou commune"), required=False)
    department = forms.ModelChoiceField(
        label=_("Département"), queryset=Department.objects.none(), required=False, empty_label=_("tous")
    )
    district = DistrictChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False, empty_label=_("tous")
    )
    kind = forms.ChoiceField(label=_("Type"), choices=[("", _("tous")), *SchoolKind.choices], required=False)
    sector = forms.ChoiceField(label=_("Secteur"), choices=[("", _("tous")), *Sector.choices], required=False)
    priority_education = forms.ChoiceField(
        label=_("Éducation prioritaire"),
        choices=[
            ("", _("toutes")),
            ("REP", "REP"),
            ("REP+", "REP+"),
            ("hors", _("hors éducation prioritaire")),
        ],
        required=False,
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(pk__in=schools.values("department_id"))
        self.fields["department"].queryset = departments
        department_id = self.data.get("department")
        districts = District.objects.filter(department__in=departments).select_related("department")
        if department_id and str(department_id).isdigit():
            districts = districts.filter(department_id=department_id)
        elif departments.count() > MAX_DEPARTMENTS_FOR_ALL_DISTRICTS:
            # Nationally there are thousands of districts: a list that long helps no one.
            districts = districts.none()
            self.fields["district"].help_text = _("Choisissez d’abord un département.")
        self.fields["district"].queryset = districts

    def filter(self, schools):
        if not self.is_valid():
            return schools.none()
        data = self.cleaned_data
        query = data["q"].strip()
        if query:
            schools = schools.filter(
                Q(name__icontains=query) | Q(uai__iexact=query) | Q(commune__icontains=query)
            )
        if data["department"]:
            schools = schools.filter(department=data["department"])
        if data["district"]:
            schools = schools.filter(districts=data["district"])
        if data["kind"]:
            schools = schools.filter(kind=data["kind"])
        if data["sector"]:
            schools = schools.filter(sector=data["sector"])
        if data["priority_education"] == "hors":
            schools = schools.filter(priority_education=PriorityEducation.NONE)
        elif data["priority_education"]:
            schools = schools.filter(priority_education=data["priority_education"])
        return schools
