"""The demonstration campaigns: three campaigns whose answers look real, the same on every run."""

import re
import time
from collections import Counter, defaultdict
from datetime import date
from io import StringIO
from statistics import mean

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from paliers.accounts.models import Role
from paliers.assessments.demo import CONTRIBUTORS, SOURCE, create_demo_campaigns, plans
from paliers.assessments.models import (
    Answer,
    AnswerChange,
    AnswerValue,
    Assessment,
    AssessmentStatus,
    Campaign,
    Contribution,
    ContributionAnswer,
    SubmittedRevision,
)
from paliers.assessments.scoring import level_reached
from paliers.core.calendar import school_year
from paliers.frameworks.models import Criterion
from paliers.schools.demo import DEMO_ACADEMY_CODE, demo_school
from paliers.schools.models import PriorityEducation, SchoolKind, SchoolState

ANSWERED = (AnswerValue.MET, AnswerValue.IN_PROGRESS, AnswerValue.NOT_MET)
# (not started, in progress, submitted): the lowest and highest shares the brief allows, per campaign
MIXES = {  # by the campaign's year: 0 the previous school year, 1 the current one
    0: ((0.01, 0.14), (0.01, 0.14), (0.80, 0.90)),
    1: ((0.20, 0.30), (0.45, 0.55), (0.20, 0.30)),
}


TABLES = (Campaign, Assessment, Answer, AnswerChange, SubmittedRevision, Contribution, ContributionAnswer)


def tables():
    return {model.__name__: model.objects.count() for model in TABLES}


def answer_set():
    """{(school year, UAI, criterion code, value)} of the demo académie's answers. Read table
    by table: inside the test's transaction PostgreSQL has no statistics on the rows just made,
    and the five-table join was planned as nested loops (tens of minutes)."""
    assessments = {
        pk: (year, uai)
        for pk, year, uai in Assessment.objects.filter(campaign__academy__code=DEMO_ACADEMY_CODE).values_list(
            "pk", "campaign__school_year", "school__uai"
        )
    }
    codes = dict(Criterion.objects.values_list("pk", "code"))
    rows = Answer.objects.values_list("assessment_id", "criterion_id", "value").iterator(chunk_size=20_000)
    return {(*assessments[a], codes[c], value) for a, c, value in rows if a in assessments}


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """Created once for the class (with the demo logins), rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo_accounts", stdout=StringIO())
        started = time.perf_counter()
        result = create_demo_campaigns()
        print(f"\ncreate_demo_campaigns : {time.perf_counter() - started:.2f} s, {tables()}")
        yield result
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo", "db")
class TestDemoCampaigns:
    def test_three_campaigns_as_planned(self, demo):
        assert demo.created
        campaigns = [campaign for campaign, _ in demo.campaigns]
        assert [
            (c.framework.slug, c.framework.version, c.school_year, c.school_group) for c in campaigns
        ] == [(p.slug, p.version, p.school_year, p.group) for p in plans()]
        today = timezone.localdate()
        last, this = school_year(today, -1), school_year(today)
        assert [c.school_year for c in campaigns] == [last, this, this]
        # The previous campaign is closed, the current ones open: nothing "closed but in progress".
        assert campaigns[0].closes_on < today
        assert all(c.opens_on <= today <= c.closes_on for c in campaigns[1:])
        assert all(c.academy.code == DEMO_ACADEMY_CODE and c.department is None for c in campaigns)
        for campaign in campaigns:  # every school concerned has its assessment, as open_campaign made them
            assert campaign.assessments.count() == campaign.concerned_schools().count() > 200

    def test_participation_mixes(self, demo):
        for (campaign, counts), plan in zip(demo.campaigns, plans(), strict=True):
            shares = [counts[key] / counts["total"] for key in ("not_started", "in_progress", "submitted")]
            for share, (low, high) in zip(shares, MIXES[plan.year], strict=True):
                assert low <= share <= high, (str(campaign), counts)

    def test_answers_are_valid_and_recorded_once(self, demo):
        answers = Answer.objects.filter(assessment__campaign__academy__code=DEMO_ACADEMY_CODE)
        assert answers.count() > 40_000
        assert set(answers.values_list("value", flat=True)) == set(ANSWERED)
        assert set(answers.values_list("version", flat=True)) == {1}
        for field in ("comment", "evidence_url"):  # a few, not none and not all
            assert 0.02 < answers.exclude(**{field: ""}).count() / answers.count() < 0.2
        urls = answers.exclude(evidence_url="").values_list("evidence_url", flat=True)
        assert all(url.startswith("https://ent.example.org/") for url in urls)
        changes = AnswerChange.objects.filter(assessment__campaign__academy__code=DEMO_ACADEMY_CODE)
        assert set(changes.values_list("source", "old_value", "revision").distinct()) == {
            (SOURCE, AnswerValue.NOT_ANSWERED, 1)
        }
        recorded = set(
            changes.values_list("assessment", "criterion", "new_value", "new_comment", "new_evidence_url")
        )
        current = set(answers.values_list("assessment", "criterion", "value", "comment", "evidence_url"))
        assert changes.count() == answers.count() and recorded == current

    def test_answered_count_is_the_real_count(self, demo):
        assessments = Assessment.objects.annotate(
            real=Count("answers", filter=~Q(answers__value=AnswerValue.NOT_ANSWERED))
        ).filter(campaign__academy__code=DEMO_ACADEMY_CODE)
        assert all(a.answered_count == a.real for a in assessments)

    def test_submitted_assessments_have_their_revision(self, demo):
        assessments = Assessment.objects.filter(campaign__academy__code=DEMO_ACADEMY_CODE)
        submitted = assessments.filter(status=AssessmentStatus.SUBMITTED).prefetch_related(
            "submitted_revisions", "answers__criterion"
        )
        for assessment in submitted:
            (revision,) = assessment.submitted_revisions.all()
            assert revision.number == assessment.revision == 1
            assert revision.submitted_at == assessment.submitted_at
            assert revision.answers == {
                a.criterion.code: {"value": a.value, "comment": a.comment, "evidence_url": a.evidence_url}
                for a in assessment.answers.all()
            }
            campaign = assessment.campaign
            assert campaign.opens_on <= assessment.submitted_at.date() <= campaign.closes_on
        drafts = assessments.filter(status=AssessmentStatus.DRAFT)
        assert not drafts.filter(
            Q(submitted_at__isnull=False) | Q(submitted_revisions__isnull=False)
        ).exists()

    def test_answers_are_dated_during_their_campaign(self, demo):
        for campaign, _ in demo.campaigns:
            changes = AnswerChange.objects.filter(assessment__campaign=campaign)
            days = {moment.date() for moment in changes.values_list("changed_at", flat=True)}
            assert campaign.opens_on <= min(days) and max(days) <= campaign.closes_on
            assert len(days) > 50  # not all on one day

    def test_answers_look_real(self, demo):
        """Lower levels met more often; « en cours » mostly on the level above the one reached;
        domains of a school at different levels; REP and REP+ a little lower."""
        met_by_level, ongoing_above, spreads, met_by_priority = defaultdict(list), Counter(), Counter(), {}
        for campaign, _ in demo.campaigns:
            criteria = dict(
                Criterion.objects.filter(framework=campaign.framework).values_list("code", "level__number")
            )
            domains = dict(
                Criterion.objects.filter(framework=campaign.framework).values_list("code", "domain__code")
            )
            answers = defaultdict(dict)
            rows = Answer.objects.filter(assessment__campaign=campaign)
            for pk, priority, code, value in rows.values_list(
                "assessment", "assessment__school__priority_education", "criterion__code", "value"
            ):
                answers[pk, priority][code] = value
            for (_, priority), given in answers.items():
                for code, value in given.items():
                    met_by_level[criteria[code]].append(value == AnswerValue.MET)
                met_by_priority.setdefault(priority, []).append(
                    mean(v == AnswerValue.MET for v in given.values())
                )
                if len(given) < len(criteria):
                    continue
                reached = {
                    domain: level_reached(
                        (criteria[c], given[c] == AnswerValue.MET) for c in criteria if domains[c] == domain
                    )
                    for domain in set(domains.values())
                }
                spreads[max(reached.values()) - min(reached.values())] += 1
                for code, value in given.items():
                    if value == AnswerValue.IN_PROGRESS:
                        ongoing_above[criteria[code] - reached[domains[code]]] += 1
        rates = [mean(met_by_level[level]) for level in sorted(met_by_level)]
        assert rates == sorted(rates, reverse=True) and rates[0] > 0.8 and rates[-1] < 0.35
        assert ongoing_above.most_common(1)[0][0] == 1 and ongoing_above[1] > sum(ongoing_above.values()) / 2
        assert sum(n for spread, n in spreads.items() if spread >= 2) > sum(spreads.values()) / 4
        others = mean(met_by_priority.pop(PriorityEducation.NONE))
        priority = mean(share for shares in met_by_priority.values() for share in shares)
        assert priority < others - 0.03

    def test_most_schools_progress_since_last_year(self, demo):
        last, this = (campaign for campaign, _ in demo.campaigns[:2])

        def met(campaign):
            rows = Answer.objects.filter(
                assessment__campaign=campaign, assessment__status=AssessmentStatus.SUBMITTED
            )
            by_school = defaultdict(dict)
            for school, code, value in rows.values_list("assessment__school", "criterion__code", "value"):
                by_school[school][code] = value
            return by_school

        before, after = met(last), met(this)
        both = before.keys() & after.keys()
        assert len(both) > 30
        progress = [sum(v == AnswerValue.MET for v in after[s].values()) - sum(
            v == AnswerValue.MET for v in before[s].values()) for s in both]  # fmt: skip
        assert sum(p > 0 for p in progress) > 0.7 * len(both) and mean(progress) > 1
        same = mean(after[s][code] == value for s in both for code, value in before[s].items())
        assert 0.7 < same < 0.97  # correlated, not copied

    def test_some_schools_started_from_last_year(self, demo):
        last, this, ecoles = (campaign for campaign, _ in demo.campaigns)
        started = Assessment.objects.filter(campaign=this, started_from__isnull=False).select_related(
            "started_from"
        )
        assert 20 < started.count() < 150
        assert all(
            a.started_from.campaign_id == last.pk and a.started_from.school_id == a.school_id for a in started
        )
        carried = Answer.objects.filter(carried_over=True)
        assert carried.count() > 300
        assert set(carried.values_list("assessment__campaign", flat=True).distinct()) == {this.pk}
        assert not carried.filter(assessment__started_from__isnull=True).exists()
        assert not carried.filter(assessment__status=AssessmentStatus.SUBMITTED).exists()
        old = {
            (a.assessment.school_id, a.criterion_id): a
            for a in Answer.objects.filter(assessment__campaign=last)
        }
        for answer in carried.select_related("assessment"):
            previous = old[answer.assessment.school_id, answer.criterion_id]
            assert (answer.value, answer.comment, answer.evidence_url) == (
                previous.value, previous.comment, previous.evidence_url,
            )  # fmt: skip
        assert not Assessment.objects.filter(campaign=ecoles, started_from__isnull=False).exists()

    def test_schools_not_open_have_not_started(self, demo):
        closed = Assessment.objects.filter(campaign__academy__code=DEMO_ACADEMY_CODE).exclude(
            school__state=SchoolState.OPEN
        )
        assert closed.exists() and set(closed.values_list("answered_count", "status").distinct()) == {
            (0, AssessmentStatus.DRAFT)
        }

    def test_demo_college(self, demo):
        college = demo_school(SchoolKind.COLLEGE)
        last, this = (Assessment.objects.get(campaign=c, school=college) for c, _ in demo.campaigns[:2])
        head = college.membership_set.get(role=Role.SCHOOL_HEAD).user
        assert last.status == AssessmentStatus.SUBMITTED and last.submitted_by == head
        assert last.answered_count == Criterion.objects.filter(framework=last.campaign.framework).count()
        assert this.status == AssessmentStatus.DRAFT and this.started_from == last
        criteria = Criterion.objects.filter(framework=this.campaign.framework).count()
        assert 0.4 * criteria <= this.answered_count <= 0.6 * criteria
        carried = this.answers.filter(carried_over=True).count()
        assert 5 <= carried < this.answered_count
        assert set(this.changes.values_list("changed_by", flat=True)) == {head.pk}
        assert set(this.answers.values_list("updated_by", flat=True)) == {head.pk}
        collective = dict(this.answers.values_list("criterion", "value"))
        contributions = Contribution.objects.filter(assessment=this).select_related("user")
        assert sorted(c.user.username for c in contributions) == sorted(CONTRIBUTORS)
        assert demo.contributors == CONTRIBUTORS and demo.missing_contributors == ()
        for contribution in contributions:
            given = dict(contribution.answers.values_list("criterion", "value"))
            assert len(given) > criteria / 2 and set(given.values()) <= set(ANSWERED)
            diverging = [c for c, value in given.items() if c in collective and collective[c] != value]
            assert 1 <= len(diverging) <= 5

    def test_demo_ecole(self, demo):
        ecole = demo_school(SchoolKind.ELEMENTAIRE)
        assessment = Assessment.objects.get(campaign=demo.campaigns[2][0], school=ecole)
        criteria = Criterion.objects.filter(framework=assessment.campaign.framework).count()
        assert assessment.status == AssessmentStatus.DRAFT
        assert 0.25 * criteria <= assessment.answered_count <= 0.4 * criteria
        head = ecole.membership_set.get(role=Role.SCHOOL_HEAD).user
        assert set(assessment.changes.values_list("changed_by", flat=True)) == {head.pk}

    def test_schools_without_a_head_login_have_anonymous_history(self, demo):
        others = AnswerChange.objects.filter(assessment__campaign__academy__code=DEMO_ACADEMY_CODE).exclude(
            assessment__school__in=[demo_school(SchoolKind.COLLEGE), demo_school(SchoolKind.ELEMENTAIRE)]
        )
        assert others.exists() and not others.filter(changed_by__isnull=False).exists()


def test_same_answers_on_every_run(db):
    runs = []
    for _ in range(2):
        with transaction.atomic():
            create_demo_campaigns()
            runs.append(answer_set())
            transaction.set_rollback(True)
    assert not Campaign.objects.exists()
    assert len(runs[0]) > 40_000 and runs[0] == runs[1]


def test_command_is_idempotent_and_says_what_exists(db):
    out = StringIO()
    call_command("demo_campaigns", stdout=out)
    first = out.getvalue()
    assert "Campagnes de démonstration créées en" in first
    for plan in plans():
        assert re.search(
            rf"{plan.school_year} .*: \d+ positionnements — \d+ non commencés, \d+ en cours, \d+ soumis",
            first,
        )
    # Without demo_accounts: no contribution, and the command says how to get them.
    assert not Contribution.objects.exists()
    assert "Pas de contribution individuelle de « referent », « membre »" in first
    assert "lancez « paliers demo_accounts » avant « paliers demo_campaigns »" in first
    before, answers = tables(), answer_set()
    call_command("demo_accounts", stdout=StringIO())
    out = StringIO()
    call_command("demo_campaigns", stdout=out)
    again = out.getvalue()
    assert "déjà présentes, rien n’a été modifié" in again
    assert first.splitlines()[1:] == again.splitlines()[1:]
    assert tables() == before and answer_set() == answers
    assert not create_demo_campaigns().created


@pytest.mark.parametrize(
    ("today", "years", "current"),
    [
        (date(2026, 12, 4), ("2025-2026", "2026-2027"), (date(2026, 9, 15), date(2027, 6, 30))),
        (date(2026, 9, 3), ("2025-2026", "2026-2027"), (date(2026, 9, 3), date(2027, 6, 30))),
        (date(2027, 7, 20), ("2025-2026", "2026-2027"), (date(2026, 9, 15), date(2027, 7, 20))),
        (date(2027, 9, 1), ("2026-2027", "2027-2028"), (date(2027, 9, 1), date(2028, 6, 30))),
    ],
)
def test_campaigns_follow_the_day_the_demonstration_is_made(today, years, current):
    """School year = 1 September → 31 August: the previous one closed, the current one open today."""
    previous, *currents = plans(today)
    assert (previous.school_year, currents[0].school_year) == years
    assert previous.closes_on < today and previous.opens_on < previous.closes_on
    assert all((plan.opens_on, plan.closes_on) == current for plan in currents)
