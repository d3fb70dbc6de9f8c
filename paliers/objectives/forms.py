from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from paliers.accounts.models import SCHOOL_ROLES
from paliers.core.widgets import DateInput
from paliers.frameworks.models import Component, Criterion, Domain
from paliers.frameworks.widgets import FrameworkTextSelect, choice_label, group_label
from paliers.schools.words import school_words

from .models import (
    CLOSING_IN_FUTURE,
    SMART_CRITERIA,
    Checkpoint,
    CheckpointState,
    Objective,
    ObjectiveStatus,
    future_date_fault,
)

DATE_INPUT = DateInput()


def school_members(school):
    """The people with an active role in the school: who may pilot its objectives."""
    return (
        get_user_model()
        .objects.filter(
            memberships__school=school,
            memberships__role__in=SCHOOL_ROLES,
            memberships__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class ObjectiveForm(DsfrBaseForm, forms.ModelForm):
    """An objective of one school, on one framework version.

    The target is one choice among the framework's domains and their components (grouped
    by domain), so that a component can never belong to another domain than the one chosen.
    The criteria aimed at are offered once the domain is known (when editing)."""

    target = forms.ChoiceField(label=_("Domaine ou composante visé"), widget=FrameworkTextSelect)
    commit = forms.BooleanField(
        label=_("Objectif engagé"),
        required=False,
        help_text=_(
            "Décochez pour garder un brouillon : un brouillon n’a pas besoin de pilote ni d’échéance."
        ),
    )

    class Meta:
        model = Objective
        fields = [
            "title", "description", "level", "criteria", *[name for name, _, _ in SMART_CRITERIA],
            "pilot", "pilot_name", "due_on", "observations",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "observations": forms.Textarea(attrs={"rows": 3}),
            "due_on": DATE_INPUT,
            "criteria": forms.CheckboxSelectMultiple,
            "level": FrameworkTextSelect(field="label"),
        }
        help_texts = {
            "title": _("En une phrase : ce que l’équipe va faire."),
            "description": _(
                "Ce qui sera fait, par qui, avec quels moyens, et comment on saura que c’est atteint."
            ),
            "level": _("L’étape, le palier ou le jalon que l’objectif doit permettre d’atteindre."),
            "pilot": _("Un membre %(of_the)s…"),
            "pilot_name": _("…ou le nom d’une personne sans compte dans Paliers."),
            "due_on": _("Format : jj/mm/aaaa."),
        }

    def __init__(self, *args, school, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.school, self.instance.framework = school, framework
        self.fields["commit"].initial = not self.instance.is_draft if self.instance.pk else True
        choices, rows = [], {}
        for domain in Domain.objects.filter(framework=framework).prefetch_related("components"):
            group = [(f"domain-{domain.pk}", _("%(domain)s — tout le domaine") % {"domain": domain.title})]
            group += [(f"component-{c.pk}", c.title) for c in domain.components.all()]
            choices.append((group_label(domain), group))
            rows[f"domain-{domain.pk}"] = domain  # what each option names: its lang (widgets.py)
            rows.update({f"component-{c.pk}": c for c in domain.components.all()})
        self.fields["target"].choices = [("", _("Choisir un domaine ou une composante")), *choices]
        self.fields["target"].widget.rows = rows
        if self.instance.pk:
            self.fields["target"].initial = (
                f"component-{self.instance.component_id}"
                if self.instance.component_id
                else f"domain-{self.instance.domain_id}"
            )
        self.fields["level"].queryset = framework.levels.order_by("number")
        self.fields["level"].empty_label = _("Choisir un niveau")
        self.fields["level"].label_from_instance = lambda level: f"{level.number}. {level.label}"
        self.fields["pilot"].queryset = school_members(school)
        # « Un membre du collège… », « Un membre de l’école… » (the bound field, built by the
        # DSFR form's __init__, copied the help text: built again).
        self.fields["pilot"].help_text %= {"of_the": school_words(school).of_the}
        self._bound_fields_cache.pop("pilot", None)
        self.fields["pilot"].empty_label = _("aucun (nom saisi ci-dessous)")
        if self.instance.domain_id:
            self.fields["criteria"].queryset = Criterion.objects.filter(
                domain=self.instance.domain_id
            ).order_by("position")
            self.fields["criteria"].label_from_instance = lambda c: choice_label(
                f"{c.code} — {c.text}", c, "text"
            )
            self.fields["criteria"].help_text = _("Les critères du domaine que l’objectif vise à atteindre.")
        else:
            del self.fields["criteria"]
        for name, label, help_text in SMART_CRITERIA:
            self.fields[name].label = label
            self.fields[name].help_text = help_text

    def clean_target(self):
        kind, _, pk = self.cleaned_data["target"].partition("-")
        if kind == "component":
            component = Component.objects.filter(pk=pk, framework=self.instance.framework).first()
            if component:
                return component.domain, component
        elif kind == "domain":
            domain = Domain.objects.filter(pk=pk, framework=self.instance.framework).first()
            if domain:
                return domain, None
        raise forms.ValidationError(_("Choisissez un domaine ou une composante du référentiel."))

    def clean(self):
        data = super().clean()
        if data.get("pilot") and (data.get("pilot_name") or "").strip():
            self.add_error("pilot_name", _("Choisissez un membre ou saisissez un nom, pas les deux."))
        if "target" in data:
            domain, component = data["target"]
            if self.instance.domain_id and domain.pk != self.instance.domain_id:
                # Criteria belong to the previous domain: they no longer apply.
                data["criteria"] = Criterion.objects.none()
            self.instance.domain, self.instance.component = domain, component
        self.instance.is_draft = not data.get("commit")
        return data


class CheckpointForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Checkpoint
        fields = ["date", "state", "comment"]
        widgets = {"date": DATE_INPUT, "comment": forms.Textarea(attrs={"rows": 2})}
        labels = {"state": _("État")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["state"].choices = CheckpointState.choices  # a state is always chosen: no empty line
        self.fields["state"].initial = CheckpointState.IN_PROGRESS


class CloseForm(DsfrBaseForm):
    achieved = forms.TypedChoiceField(
        label=_("Objectif atteint ?"),
        choices=[("oui", _("oui")), ("non", _("non"))],
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
    )
    closed_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    observations = forms.CharField(
        label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()

    def clean_closed_on(self):
        closed_on = self.cleaned_data["closed_on"]
        fault = future_date_fault(closed_on, timezone.localdate(), CLOSING_IN_FUTURE)
        if fault:
            raise forms.ValidationError(fault)
        return closed_on


SORTS = {
    "echeance": _("échéance"),
    "domaine": _("domaine"),
    "pilote": _("pilote"),
    "etat": _("état"),
}
# ObjectiveStatus's words, in the plural, and « en retard ».
STATUS_FILTERS = [
    ("", _("tous")),
    (ObjectiveStatus.DRAFT, _("brouillons")),
    (ObjectiveStatus.COMMITTED, _("engagés, sans point de situation")),
    (ObjectiveStatus.NOT_STARTED, _("non commencés")),
    (ObjectiveStatus.IN_PROGRESS, _("en cours")),
    (ObjectiveStatus.DONE, _("achevés, à clôturer")),
    ("retard", _("en retard")),
    (ObjectiveStatus.ACHIEVED, _("atteints")),
    (ObjectiveStatus.NOT_ACHIEVED, _("non atteints")),
]


class TimetableFilterForm(DsfrBaseForm):
    domaine = forms.ChoiceField(label=_("Domaine"), required=False, widget=FrameworkTextSelect)
    etat = forms.ChoiceField(label=_("État"), choices=STATUS_FILTERS, required=False)
    pilote = forms.CharField(label=_("Pilote"), required=False, max_length=150)
    tri = forms.ChoiceField(label=_("Trier par"), choices=list(SORTS.items()), required=False)

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domaine"].choices = [("", _("tous"))] + [(str(d.pk), d.title) for d in domains]
        self.fields["domaine"].widget.rows = {str(d.pk): d for d in domains}
