"""The campaign page's list of schools: filtered by state, district and type, paged, and
downloaded as CSV for French Excel with each school's official mailbox (the directory's
`Mail` column, School.email)."""

from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from dsfr.forms import DsfrBaseForm

from paliers.core.csv import csv_lines
from paliers.schools.models import District, SchoolKind, district_labels, sort_key

from .models import AssessmentStatus
from .stages import Stage


class SchoolFilters(DsfrBaseForm):
    stage = forms.ChoiceField(label=_("État"), required=False, choices=[("", _("tous")), *Stage.choices])
    district = forms.ChoiceField(label=_("District"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)

    def __init__(self, data, *, assessments):
        super().__init__(data)
        # Nested IN rather than one DISTINCT over four joined tables: PostgreSQL planned
        # that join as nested loops when its statistics lagged behind a fresh campaign.
        schools = assessments.values("school_id")
        links = District.schools.through.objects.filter(school_id__in=schools)
        districts = District.objects.filter(pk__in=links.values("district_id"))
        labels = district_labels(districts)
        self.fields["district"].choices = [
            ("", _("tous")),
            *sorted(((str(pk), label) for pk, label in labels.items()), key=lambda c: sort_key(c[1])),
        ]
        kinds = set(assessments.values_list("school__kind", flat=True).distinct())
        self.fields["kind"].choices = [("", _("tous"))] + [
            (k, v) for k, v in SchoolKind.choices if k in kinds
        ]


STAGE_CONDITIONS = {
    Stage.SUBMITTED: Q(status=AssessmentStatus.SUBMITTED),
    Stage.IN_PROGRESS: ~Q(status=AssessmentStatus.SUBMITTED) & Q(answered_count__gt=0),
    Stage.NOT_STARTED: ~Q(status=AssessmentStatus.SUBMITTED) & Q(answered_count=0),
}


def filtered(assessments, form):
    """The assessments the valid filter form keeps, with their late answers counted."""
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("stage"):
        assessments = assessments.filter(STAGE_CONDITIONS[data["stage"]])
    if data.get("district"):
        assessments = assessments.filter(school__districts=data["district"])
    if data.get("kind"):
        assessments = assessments.filter(school__kind=data["kind"])
    return assessments.annotate(late_answers=Count("changes", filter=Q(changes__late=True), distinct=True))


CSV_HEADER = [
    _("UAI"), pgettext_lazy("school", "Nom"), _("Type"), _("Commune"), _("Département"), _("Districts"),
    _("Adresse électronique (annuaire)"), _("État"), _("Critères renseignés"), _("Critères du référentiel"),
    _("État à la clôture"), _("Rouvert jusqu’au"), _("Réponses tardives"), _("Soumis le"),
]  # fmt: skip


def csv_rows(assessments, total_criteria):
    stages = dict(Stage.choices)
    rows = assessments.select_related("school__department").prefetch_related("school__districts")
    for a in rows.order_by("school__sort_name", "pk").iterator(chunk_size=500):
        yield [
            a.school.uai, a.school.name, a.school.get_kind_display(), a.school.commune,
            a.school.department.code, ", ".join(sorted(d.label for d in a.school.districts.all())),
            a.school.email, a.stage.label,
            a.answered_count, total_criteria, stages.get(a.stage_at_close, ""), a.late_until, a.late_answers,
            a.submitted_at.date() if a.submitted_at else None,
        ]  # fmt: skip


def csv_text(assessments, total_criteria):
    return csv_lines(CSV_HEADER, csv_rows(assessments, total_criteria))
