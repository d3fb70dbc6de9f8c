"""The accompaniment forms. Each offers only what belongs to the school (its frameworks'
domains, its requests), and its error messages name the field they are about."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from paliers.core.widgets import DateInput
from paliers.frameworks.models import Domain, Framework
from paliers.frameworks.widgets import FrameworkTextSelect
from paliers.schools.words import school_words

from .models import PlanAction, PlanStatus, RecordKind, RequestStatus, SupportRequest

TEXT_MAX = 4000
DATE_INPUT = DateInput()


def school_domains(school):
    """The domains of the frameworks the school positions itself on (through its campaigns)."""
    frameworks = Framework.objects.filter(campaigns__assessments__school=school)
    return (
        Domain.objects.filter(framework__in=frameworks)
        .select_related("framework")
        .order_by("framework__title", "framework__version", "position")
    )


def request_label(request):
    return _("%(domain)s — demandée le %(date)s") % {
        "domain": request.domain.title,
        "date": f"{timezone.localtime(request.created_at):%d/%m/%Y}",
    }


class DomainChoiceField(forms.ModelChoiceField):
    """The domains of the school's frameworks: `for_school` sets them once the form exists
    (replacing the field would not do: the DSFR form has already bound the declared one)."""

    widget = FrameworkTextSelect
    several_frameworks = False

    def for_school(self, school):
        self.queryset = school_domains(school)
        self.several_frameworks = len({d.framework_id for d in self.queryset}) > 1
        # The school's own word (« votre collège », « de l’école »…) in the help and the refusal.
        words = school_words(school)
        self.help_text = self.help_text and self.help_text % {"your": words.your, "of_the": words.of_the}
        self.error_messages["invalid_choice"] %= {"your": words.your, "of_the": words.of_the}

    def label_from_instance(self, domain):
        # With one framework, its name would only lengthen every option.
        if self.several_frameworks:
            return f"{domain.title} — {domain.framework.title} ({domain.framework.version})"
        return domain.title


class SupportRequestForm(DsfrBaseForm):
    domain = DomainChoiceField(
        label=_("Domaine"),
        queryset=Domain.objects.none(),
        empty_label=_("choisissez un domaine"),
        help_text=_("Un domaine des référentiels sur lesquels %(your)s se positionne."),
        error_messages={
            "required": _("Choisissez le domaine sur lequel porte la demande."),
            "invalid_choice": _("Ce domaine n’est pas celui d’un référentiel de %(your)s."),
        },
    )
    message = forms.CharField(
        label=_("Votre demande"),
        help_text=_(
            "Ce dont l’équipe a besoin : une formation, une visite, un conseil, pour quelles classes…"
        ),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Décrivez votre demande dans le champ « Votre demande ».")},
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].for_school(school)
        self._bound_fields_cache.pop("domain", None)  # built by the DSFR form before its help text


class RecordForm(DsfrBaseForm):
    request = forms.ModelChoiceField(
        label=_("Demande"),
        queryset=SupportRequest.objects.none(),
        required=False,
        empty_label=_("aucune : intervention hors demande"),
        error_messages={"invalid_choice": _("Cette demande n’est pas une demande en cours %(of_the)s.")},
    )
    date = forms.DateField(
        label=_("Date"),
        widget=DATE_INPUT,
        error_messages={
            "required": _("Indiquez la date de l’intervention."),
            "invalid": _("Date de l’intervention invalide : attendue sous la forme 2026-03-10."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Nature"),
        choices=[("", _("choisissez")), *RecordKind.choices],
        error_messages={
            "required": _("Choisissez la nature de l’intervention."),
            "invalid_choice": _("Nature de l’intervention inconnue."),
        },
    )
    participants = forms.CharField(
        label=_("Participants"),
        help_text=_("Qui était là : fonctions ou noms, nombre d’enseignants."),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        help_text=_("Ce qui a été fait, décidé, ce qui reste à faire."),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    close_request = forms.BooleanField(label=_("La demande est traitée : la clore"), required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].error_messages["invalid_choice"] %= {"of_the": school_words(school).of_the}
        self.fields["request"].queryset = school.support_requests.exclude(
            status=RequestStatus.CLOSED
        ).select_related("domain")
        self.fields["request"].label_from_instance = request_label

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise ValidationError(
                _(
                    "La date de l’intervention est à venir : notez ce qui a eu lieu, "
                    "et prévoyez le reste au plan."
                )
            )
        return day

    def clean(self):
        data = super().clean()
        if data.get("close_request") and not data.get("request"):
            self.add_error("close_request", _("Choisissez la demande à clore dans le champ « Demande »."))
        return data


class PlanActionForm(DsfrBaseForm, forms.ModelForm):
    domain = DomainChoiceField(
        label=_("Domaine"),
        queryset=Domain.objects.none(),
        required=False,
        empty_label=_("aucun en particulier"),
        error_messages={"invalid_choice": _("Ce domaine n’est pas celui d’un référentiel %(of_the)s.")},
    )

    class Meta:
        model = PlanAction
        fields = ["domain", "request", "need", "action", "school_year", "planned_on", "status"]
        labels = {
            "need": _("Besoin identifié"),
            "action": _("Action prévue"),
            "request": _("Demande à l’origine"),
        }
        help_texts = {
            "school_year": _("Par exemple 2026-2027. Une année scolaire, une date prévue, ou les deux."),
            "action": _("Ce qui sera fait, par qui : animation pédagogique, visite, formation…"),
        }
        widgets = {
            "need": forms.Textarea(attrs={"rows": 3}),
            "action": forms.Textarea(attrs={"rows": 3}),
            "planned_on": DATE_INPUT,
        }
        error_messages = {
            "need": {"required": _("Décrivez le besoin dans le champ « Besoin identifié ».")},
            "action": {"required": _("Décrivez l’action dans le champ « Action prévue ».")},
            "planned_on": {"invalid": _("Date prévue invalide : attendue sous la forme 2026-03-10.")},
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.school = school
        self.fields["domain"].for_school(school)
        self.fields["request"].queryset = school.support_requests.select_related("domain")
        self.fields["request"].empty_label = _("aucune")
        self.fields["request"].label_from_instance = request_label
        self.fields["status"].choices = PlanStatus.choices
        for name in ("need", "action"):
            self.fields[name].max_length = TEXT_MAX
            self.fields[name].widget.attrs["maxlength"] = TEXT_MAX

    def clean(self):
        data = super().clean()
        if not data.get("school_year") and not data.get("planned_on") and "school_year" not in self.errors:
            self.add_error("school_year", _("Indiquez l’année scolaire de l’action, ou sa date prévue."))
        return data


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("État"), choices=PlanStatus.choices)


ALL = "toutes"


class RequestFilterForm(DsfrBaseForm):
    status = forms.ChoiceField(
        label=_("État"),
        choices=[
            ("", _("à traiter : ouvertes ou prises en charge")),
            *RequestStatus.choices,
            (ALL, _("toutes")),
        ],
        required=False,
    )

    def filter(self, requests):
        status = self.cleaned_data["status"] if self.is_valid() else ""
        if status == ALL:
            return requests
        if status:
            return requests.filter(status=status)
        return requests.exclude(status=RequestStatus.CLOSED)
