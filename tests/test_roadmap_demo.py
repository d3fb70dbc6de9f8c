"""The demonstration: a populated observatory and the Limoges roadmap with computed values."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from paliers.core.calendar import school_year
from paliers.observatory.figures import TOTAL, Reader
from paliers.observatory.selection import Filters, area_for, rounds_for
from paliers.roadmap.indicators import points
from paliers.roadmap.models import Indicator, IndicatorValue, Roadmap


def run(*names):
    out = StringIO()
    for name in names:
        call_command(name, stdout=out)
    return out.getvalue()


def test_the_demo_observatory_and_roadmap(db):
    from paliers.frameworks.loading import load_paths

    load_paths()
    output = run("demo_accounts", "demo_campaigns", "demo_roadmap")
    roadmap = Roadmap.objects.get()
    dan = roadmap.created_by
    last, this = school_year(timezone.localdate(), -1), school_year(timezone.localdate())
    assert dan.username == "dan" and f"Taux d'usages des ENT — Clôture {last} : " in output
    # The observatory has every demo campaign, with answers counted.
    rounds = rounds_for(dan)
    assert len(rounds) == 3
    for round in rounds:
        participation = Reader(round, area_for(dan, Filters()), Filters()).participation()[TOTAL]
        assert participation.started > 0
    computed = Indicator.objects.filter(axis__roadmap=roadmap).exclude(definition="")
    assert computed.count() == 4
    for indicator in computed.select_related("axis__roadmap"):
        values = points(indicator, dan)
        assert [p.school_year for p in values] == [last, this]
        assert all(p.value is not None and p.value > 0 for p in values), indicator
    assert IndicatorValue.objects.count() == 6
    assert "déjà présente, rien n’a été modifié" in run("demo_roadmap")
    assert Roadmap.objects.count() == 1
