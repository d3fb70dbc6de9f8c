"""E-mail reminders for objectives due soon or overdue.

The daily task (objectives/tasks.py, queued by `paliers send_reminders`, run by the timer
possibly several times a day and on several machines) queues one task per person: a
`Reminder` row per objective, person and day is written in the same transaction as the
e-mail is sent, and its unique constraint makes a second run that day send nothing.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from paliers.accounts.models import Membership, Role
from paliers.core import mail

from .models import Objective, Reminder

WINDOW = timedelta(days=14)


def due_objectives(today):
    """Committed, open objectives due within WINDOW or already overdue."""
    return (
        Objective.objects.committed()
        .filter(due_on__lte=today + WINDOW)
        .select_related("school", "pilot", "domain", "level")
        .order_by("due_on", "pk")
    )


def _school_people(school_ids):
    """{"members": {school id: {user ids}}, "heads": {school id: [heads with an e-mail]}}."""
    people = {"members": defaultdict(set), "heads": defaultdict(list)}
    for membership in (
        Membership.objects.active()
        .filter(school_id__in=school_ids, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ):
        people["members"][membership.school_id].add(membership.user_id)
        if membership.role == Role.SCHOOL_HEAD and membership.user.email:
            people["heads"][membership.school_id].append(membership.user)
    return people


def recipients(objective, people):
    """The pilot when they are a member of the school with an e-mail; otherwise (a name
    typed in, a pilot without e-mail or who left) the school's heads, who set the objective."""
    pilot = objective.pilot
    if pilot is not None and pilot.email and pilot.pk in people["members"][objective.school_id]:
        return [pilot]
    return people["heads"][objective.school_id]


def reminders_of_day(today, school_ids=None):
    """{person: [their objectives to remind]} for `today` (in `school_ids` only, if given)."""
    objectives = due_objectives(today)
    if school_ids is not None:
        objectives = objectives.filter(school_id__in=school_ids)
    objectives = list(objectives)
    people = _school_people({o.school_id for o in objectives})
    by_recipient = defaultdict(list)
    for objective in objectives:
        for person in recipients(objective, people):
            by_recipient[person].append(objective)
    return by_recipient


def send_reminder(person, objectives, today):
    """Send one person's e-mail of the day for `objectives`; the number reminded (0: sent
    already today, by this run or a concurrent one)."""
    try:
        with transaction.atomic():
            already = set(
                Reminder.objects.filter(
                    recipient=person, sent_on=today, objective__in=objectives
                ).values_list("objective_id", flat=True)
            )
            fresh = [o for o in objectives if o.pk not in already]
            if not fresh:
                return 0
            Reminder.objects.bulk_create(
                [Reminder(objective=o, recipient=person, sent_on=today) for o in fresh]
            )
            _send(person, fresh, today)
    except IntegrityError:
        return 0  # another run sent these at the same moment
    return len(fresh)


def send_reminder_to(person_id, today):
    """The reminder of one person (a background task each): their objectives due, read now."""
    schools = Membership.objects.active().filter(user_id=person_id).values_list("school_id", flat=True)
    for person, objectives in reminders_of_day(today, school_ids=set(schools)).items():
        if person.pk == person_id:
            return send_reminder(person, objectives, today)
    return 0


def send_reminders(today=None):
    """Send today's reminders in this process; returns (e-mails sent, objectives reminded)."""
    today = today or timezone.localdate()
    emails = reminded = 0
    for person, objectives in reminders_of_day(today).items():
        count = send_reminder(person, objectives, today)
        emails, reminded = emails + bool(count), reminded + count
    return emails, reminded


def _send(person, objectives, today):
    context = {
        "person": person,
        "schools": [o.school for o in objectives],  # their word: « votre collège », « votre école »…
        "objectives": [(o, o.due_on < today, (o.due_on - today).days) for o in objectives],
        "base_url": f"{settings.SITE_PROTOCOL}://{settings.SITE_DOMAIN}",
    }
    # In the recipient's language (their choice, else French): not the sender's.
    with translation.override(person.language or settings.LANGUAGE_CODE):
        subject = render_to_string("objectives/emails/reminder_subject.txt", context).strip()
        body = render_to_string("objectives/emails/reminder.txt", context)
        mail.send(subject, body, [person.email])
