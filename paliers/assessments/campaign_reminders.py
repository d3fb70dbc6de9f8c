"""Campaign reminders: e-mails to the heads and référents of schools that have not
submitted their positioning, on the campaign's chosen days before the close (by default
21, 7 and 1) and when an animator or the DAN clicks « Relancer ».

One e-mail per school and day at most, whatever the cause: a `CampaignReminder` row per
school and day is written in the transaction that sends the e-mail, and its unique
constraint makes a second attempt that day (another run, a click) send nothing. Sent by
tasks (tasks.py), one per school: a failing mail server for one school leaves the others'.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from paliers.accounts.models import Membership, Role
from paliers.accounts.scoping import has_role, schools_for
from paliers.core import mail
from paliers.frameworks.models import Framework

from .lifecycle_models import CampaignReminder, ReminderCause
from .models import Assessment, AssessmentStatus, Campaign
from .stages import CampaignState

REMINDED_ROLES = (Role.SCHOOL_HEAD, Role.SCHOOL_REFERENT)
REMINDING_ROLES = (Role.ACADEMY_ADMIN, Role.ANIMATOR)


def may_remind(user):
    """The DAN and the animators remind the schools of their scope (« Relancer »)."""
    return has_role(user, *REMINDING_ROLES)


def remindable_schools(user):
    return schools_for(user, roles=REMINDING_ROLES)


def due_today(today):
    """[(campaign id, school id)] of today's scheduled reminders: open campaigns whose
    days before the close include today's, schools not submitted."""
    found = []
    for campaign in Campaign.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("pk"):
        if (campaign.closes_on - today).days in campaign.reminder_schedule:
            found += [
                (campaign.pk, school)
                for school in not_submitted(campaign).values_list("school_id", flat=True)
            ]
    return found


def not_submitted(campaign):
    return campaign.assessments.exclude(status=AssessmentStatus.SUBMITTED).order_by("school__sort_name", "pk")


def recipients(school_id):
    """The school's heads and référents with an e-mail address."""
    memberships = (
        Membership.objects.active()
        .filter(school_id=school_id, role__in=REMINDED_ROLES, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("role", "user__last_name", "pk")
    )
    return list({m.user.email.lower(): m.user for m in memberships}.values())


def send_reminder(campaign_id, school_id, today, cause=ReminderCause.SCHEDULE, user=None):
    """Send the school's reminder of the day about the campaign; True if an e-mail left
    (False: already reminded today, submitted meanwhile, closed, or nobody to write to)."""
    assessment = (
        Assessment.objects.select_related("campaign__framework", "school")
        .filter(campaign_id=campaign_id, school_id=school_id)
        .first()
    )
    if assessment is None or assessment.status == AssessmentStatus.SUBMITTED:
        return False
    if assessment.campaign.state(today) != CampaignState.OPEN and not assessment.answerable(today):
        return False
    people = recipients(school_id)
    if not people:
        return False
    try:
        with transaction.atomic():
            CampaignReminder.objects.create(
                school_id=school_id, campaign_id=campaign_id, sent_on=today, cause=cause,
                stage=assessment.stage, recipients="\n".join(p.email for p in people), sent_by=user,
            )  # fmt: skip
            _send(assessment, people, today)
    except IntegrityError:
        return False  # this school was reminded today already
    return True


def _send(assessment, people, today):
    closes_on = assessment.late_until or assessment.campaign.closes_on
    context = {
        "assessment": assessment,
        "campaign": assessment.campaign,
        "school": assessment.school,
        "started": assessment.answered_count > 0,
        "closes_on": closes_on,
        "days_left": (closes_on - today).days,
        "url": f"{settings.SITE_PROTOCOL}://{settings.SITE_DOMAIN}{assessment.get_absolute_url()}",
    }
    # One e-mail per language of the school's people (each chose theirs; French by default).
    by_language = {}
    for person in people:
        by_language.setdefault(person.language or settings.LANGUAGE_CODE, []).append(person.email)
    for language, emails in sorted(by_language.items()):
        with translation.override(language):
            # Read again in this language: a framework may ship its title in it (frameworks/languages.py).
            context["framework"] = Framework.objects.get(pk=assessment.campaign.framework_id)
            subject = render_to_string("assessments/emails/campaign_reminder_subject.txt", context).strip()
            body = render_to_string("assessments/emails/campaign_reminder.txt", context)
        mail.send(subject, body, emails)


def history(school):
    """The school's reminders, newest first (its page lists them)."""
    return CampaignReminder.objects.filter(school=school).select_related("campaign__framework", "sent_by")
