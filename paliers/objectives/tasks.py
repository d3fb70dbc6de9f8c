"""Reminders of objectives due, as background tasks: a daily one that finds who must be
reminded, and one per person that sends their e-mail (a failing mail server for one person
leaves the others' reminders sent, and their task can be retried). Both safe to run twice.
"""

import datetime

from paliers.workers.daily import daily
from paliers.workers.tracking import background_task

from . import reminders


@daily
@background_task()
def send_objective_reminders(day):
    """Queue today's reminder of each person with objectives due soon or overdue."""
    today = datetime.date.fromisoformat(day)
    people = list(reminders.reminders_of_day(today))
    for person in people:
        send_objective_reminder.enqueue(person.pk, day)
    return len(people)


@background_task()
def send_objective_reminder(person_id, day):
    """Send one person's reminder of the day; the number of objectives it reminds."""
    return reminders.send_reminder_to(person_id, datetime.date.fromisoformat(day))
