from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from paliers.assessments.models import Campaign
from paliers.core.widgets import DateInput
from paliers.frameworks.models import Criterion, Domain, Framework
from paliers.schools.forms import DistrictChoiceField
from paliers.schools.models import Department, District, SchoolKind, Sector

from .models import Axis, Definition, Indicator, IndicatorValue, Roadmap

DATE_INPUT = DateInput()
LIST_HELP = _("Un élément par ligne.")


class RoadmapForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Roadmap
        fields = ["academy", "title", "period", "introduction", "source"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academy"].queryset = academies
        self.fields["academy"].empty_label = None
        if self.instance.pk:
            del self.fields["academy"]  # a roadmap stays in its académie


class AxisForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Axis
        fields = [
            "section",
            "title",
            "description",
            "situation",
            "objectives",
            "actions",
            "resources",
            "position",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("description", "situation", "objectives", "actions", "resources")
        }
        help_texts = {
            "situation": LIST_HELP,
            "objectives": LIST_HELP,
            "actions": LIST_HELP,
            "resources": LIST_HELP,
            "position": _("Les axes sont rangés par rang croissant."),
        }


def _grouped(queryset, label):
    """Choices grouped by framework, for a select with optgroups."""
    groups = {}
    for item in queryset.select_related("framework").order_by(
        "framework__title", "framework__version", "position"
    ):
        groups.setdefault(str(item.framework), []).append((item.pk, label(item)))
    return [("", _("aucun")), *groups.items()]


class IndicatorForm(DsfrBaseForm, forms.ModelForm):
    """An indicator, entered by hand or computed: the definition and what it needs (framework,
    criterion or domain and level), its scope and filters. Criteria and domains are grouped by
    framework; the form refuses one of another framework than the one chosen."""

    criterion = forms.TypedChoiceField(label=_("Critère"), required=False, coerce=int, empty_value=None)
    domain = forms.TypedChoiceField(label=_("Domaine"), required=False, coerce=int, empty_value=None)

    class Meta:
        model = Indicator
        fields = [
            "title", "measure", "target", "position", "definition", "framework", "level",
            "department", "district", "school_kind", "sector", "priority", "submitted_only",
        ]  # fmt: skip
        labels = {"definition": _("Définition")}
        field_classes = {"district": DistrictChoiceField}
        help_texts = {
            "target": _("Pour un pourcentage, de 0 à 100."),
            "definition": _("Laissez « aucune » pour saisir les valeurs à la main."),
            "level": _("Pour « niveau au moins N » : le numéro du palier, de l’étape ou du jalon."),
            "department": _("Par défaut, toute l’académie."),
            "district": _("Ou un district de l’académie."),
        }

    def __init__(self, *args, roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        used = Campaign.objects.filter(academy=roadmap.academy).values("framework_id")
        frameworks = Framework.objects.filter(pk__in=used) | Framework.objects.filter(
            pk=self.instance.framework_id
        )
        self.fields["framework"].queryset = frameworks.distinct()
        self.fields["criterion"].choices = _grouped(
            Criterion.objects.filter(framework__in=frameworks), lambda c: f"{c.code} — {c.text[:90]}"
        )
        self.fields["domain"].choices = _grouped(Domain.objects.filter(framework__in=frameworks), str)
        self.fields["department"].queryset = Department.objects.filter(academy=roadmap.academy)
        self.fields["district"].queryset = District.objects.filter(
            department__academy=roadmap.academy
        ).order_by("department", "kind", "name")
        # Empty choices read as words, as everywhere in Paliers.
        self.fields["framework"].empty_label = _("aucun")
        self.fields["department"].empty_label = _("toute l’académie")
        self.fields["district"].empty_label = _("aucun")
        self.fields["school_kind"].choices = [("", _("tous")), *SchoolKind.choices]
        self.fields["sector"].choices = [("", _("tous")), *Sector.choices]
        self.initial.setdefault("criterion", self.instance.criterion_id)
        self.initial.setdefault("domain", self.instance.domain_id)

    def clean(self):
        data = super().clean()
        definition, framework = data.get("definition"), data.get("framework")
        criterion = (
            Criterion.objects.filter(pk=data.get("criterion")).first() if data.get("criterion") else None
        )
        domain = Domain.objects.filter(pk=data.get("domain")).first() if data.get("domain") else None
        if definition and framework is None:
            self.add_error("framework", _("Choisissez le référentiel du calcul."))
        if definition == Definition.CRITERION_MET and criterion is None:
            self.add_error("criterion", _("Choisissez le critère."))
        if definition in (Definition.DOMAIN_LEVEL, Definition.OBJECTIVE_ACHIEVED) and domain is None:
            self.add_error("domain", _("Choisissez le domaine."))
        if definition == Definition.DOMAIN_LEVEL and data.get("level") is None:
            self.add_error("level", _("Indiquez le niveau minimal."))
        if framework is not None:
            if criterion is not None and criterion.framework_id != framework.pk:
                self.add_error("criterion", _("Ce critère n’est pas dans le référentiel choisi."))
            if domain is not None and domain.framework_id != framework.pk:
                self.add_error("domain", _("Ce domaine n’est pas dans le référentiel choisi."))
        district, department = data.get("district"), data.get("department")
        if district and department and district.department_id != department.pk:
            self.add_error("district", _("Ce district n’est pas dans le département choisi."))
        if not definition:  # a manual indicator keeps no half-filled calculation
            criterion = domain = None
            data["framework"] = data["level"] = None
        # Not model fields of the form (their choices are grouped): set on the instance here.
        self.instance.criterion, self.instance.domain = criterion, domain
        return data


class ValueForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["on", "value", "comment"]
        widgets = {"on": DATE_INPUT}
        help_texts = {"on": _("Format : jj/mm/aaaa."), "value": _("Pour un pourcentage, de 0 à 100.")}
