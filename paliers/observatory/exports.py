"""CSV files: the data of each chart (as the page's table), and the open-data file.

The open-data file, made for publication, applies the small-group rule as for a reader who
sees none of the schools: a cell computed over fewer than 5 schools is left empty.
"""

from django.utils.translation import gettext as _

from paliers.assessments.aggregates import disclosed
from paliers.schools.models import Department, District

from . import pages
from .figures import TOTAL, Reader, domains_of, grouping, levels_of
from .figures import evolution as evolution_of
from .selection import Filters, area_for


def _percent(share):
    return None if share is None else round(share * 100, 1)


def _where(by):
    return _("District") if by == "district" else _("Département")


def participation(round, filters, area):
    by = grouping(area, filters)
    reader = Reader(round, area, filters)
    rows = pages.participation_table(by, {**reader.participation(by), **reader.participation()})
    header = [_where(by), _("Non commencés"), _("En cours"), _("Soumis"), _("Total"), _("Part soumise (%)")]
    return header, [(*row[:-1], _percent(row[-1])) for row in rows], _name("participation", round)


def levels(round, filters, area):
    levels_ = levels_of(round.framework)
    figures = Reader(round, area, filters).domains().get(TOTAL, {})
    rows = pages.distribution_table(domains_of(round.framework), levels_, figures)
    header = [_("Domaine"), *(label for __, label in levels_), _("Écoles comptées"), _("Score moyen")]
    return header, rows, _name("niveaux", round)


def heatmap(round, filters, area):
    by, domains = grouping(area, filters), domains_of(round.framework)
    rows = pages.heatmap_table(by, domains, Reader(round, area, filters).domains(by))
    return [_where(by), *(d.title for d in domains)], rows, _name("carte-de-chaleur", round)


def criteria(round, filters, area):
    rows = pages.criteria_rows(Reader(round, area, filters).criteria())
    header = [
        _("Code"),
        _("Critère"),
        _("Domaine"),
        _("Niveau"),
        _("Atteint"),
        _("En cours"),
        _("Non atteint"),
        _("Part atteinte (%)"),
    ]
    return header, [(*row[:-1], _percent(row[-1])) for row in rows], _name("criteres", round)


def evolution(round, filters, area):
    domains, years = domains_of(round.framework), evolution_of(round, area, filters)
    rows = [(*row[:3], _percent(row[3]), *row[4:]) for row in pages.evolution_table(domains, years)]
    header = [
        _("Année scolaire"),
        _("Écoles concernées"),
        _("Soumis"),
        _("Part soumise (%)"),
        *(d.title for d in domains),
    ]
    return header, rows, _name("evolution", round)


FIGURES = {
    "participation": participation,
    "niveaux": levels,
    "carte-de-chaleur": heatmap,
    "criteres": criteria,
    "evolution": evolution,
}


def _name(figure, round):
    return f"observatoire-{figure}-{round.framework.slug}-{round.school_year}.csv"


def open_data(round, user):
    """Per département, then per district, of the user's scope: participation and the
    average score per domain over the started assessments; small groups left empty."""
    filters = Filters()
    area = area_for(user, filters)
    reader, domains = Reader(round, area, filters), domains_of(round.framework)
    header = [_("Niveau"), _("Code"), _("Nom"), _("Écoles concernées"), _("Non commencés"), _("En cours"),
              _("Soumis"), _("Positionnements commencés"),
              *(_("Score moyen : %(domain)s") % {"domain": d.title} for d in domains)]  # fmt: skip
    rows = []
    for by, model in (("department", Department), ("district", District)):
        stages, figures = reader.participation(by), reader.domains(by)
        places = model.objects.in_bulk(list(stages))
        for pk in sorted(stages, key=lambda pk: (places[pk].code, places[pk].pk)):
            rows.append(_open_row(by, places[pk], stages[pk], figures.get(pk, {}), domains))
    return header, rows


def _open_row(by, place, stage, figures, domains):
    label = _("département") if by == "department" else place.get_kind_display()
    counts = stage.counts() if disclosed(stage.total, 0) else [None] * 3
    started = stage.started if disclosed(stage.total, 0) else None
    averages = [
        figures[d.pk].average if d.pk in figures and disclosed(figures[d.pk].schools, 0) else None
        for d in domains
    ]
    return (label, place.code, place.name, stage.total, *counts, started, *averages)
