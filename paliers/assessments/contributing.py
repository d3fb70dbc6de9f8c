"""A member's own answers (contributions individuelles), saved as the collective answer is:
each answer has a version, and a save made over a version its author had not seen — the
same person's other page, say — is refused, never written over."""

from django.db import transaction

from .answering import PageResult, changed_entries
from .models import Contribution, ContributionAnswer


def _save(contribution, entries):
    """Write the entries the user changed, all or nothing; the caller checked who may."""
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        stored = {
            a.criterion_id: a for a in locked.answers.filter(criterion__in=[e["criterion"] for e in entries])
        }
        changed, conflicts = changed_entries(
            entries, stored, lambda criterion: ContributionAnswer(contribution=locked, criterion=criterion)
        )
        if conflicts:
            return PageResult(conflicts=conflicts)
        for answer, entry in changed:
            answer.value, answer.comment = entry["value"], (entry.get("comment") or "").strip()
            answer.version += 1
            answer.save()
        if changed:
            locked.save(update_fields=["updated_at"])
        return PageResult(saved=[entry["criterion"] for _, entry in changed])


def save_contribution_answers(contribution, entries):
    """A page of one's own answers (without JavaScript), all or nothing."""
    return _save(contribution, entries)


def save_contribution_answer(contribution, entry):
    """One criterion, as the page saves it on each change (htmx)."""
    return _save(contribution, [entry])
