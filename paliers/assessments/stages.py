"""The state word of a positioning — non commencé, en cours, soumis — defined once.

Every page, the API, the CSV exports and the aggregate tables say it through `Stage` and
`stage_of`; nothing else decides it. An assessment is « soumis » once its head submitted it,
« en cours » as soon as one criterion is answered, « non commencé » before. Campaign-level
states (announced, closed) will join here as new members, not as a second vocabulary.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    NOT_STARTED = "not_started", _("non commencé")
    IN_PROGRESS = "in_progress", _("en cours")
    SUBMITTED = "submitted", _("soumis")


STARTED = (Stage.IN_PROGRESS, Stage.SUBMITTED)


class CampaignState(models.TextChoices):
    """A campaign's state on a given day (Campaign.state): announced before its opening,
    open until its closing date included, closed after."""

    ANNOUNCED = "announced", _("annoncée")
    OPEN = "open", _("ouverte")
    CLOSED = "closed", _("close")


def stage_of(*, submitted, answered):
    """The state word of a positioning from its status and its number of answered criteria."""
    if submitted:
        return Stage.SUBMITTED
    return Stage.IN_PROGRESS if answered else Stage.NOT_STARTED
