"""The demonstration académie's roadmap: the Limoges 2016-2017 example, with a few values
entered by hand (fictional, the same on every run) beside the computed ones."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from paliers.accounts.models import Membership, Role
from paliers.schools.demo import DEMO_ACADEMY_CODE
from paliers.schools.models import Academy

from .loading import LIMOGES, load_roadmap
from .models import IndicatorValue

# Indicator title → (date, value, comment): what a DAN would have recorded during the year.
MANUAL_VALUES = {
    "Nombre de réunions des CTNÉ": (
        (date(2016, 11, 15), 1, "Installation du CTNÉ de la Corrèze."),
        (date(2017, 3, 10), 3, "CTNÉ de la Creuse et de la Haute-Vienne installés."),
        (date(2017, 6, 20), 5, ""),
    ),
    "Nombre de formateurs numériques identifiés": (
        (date(2016, 10, 1), 24, "Référents RUPN et ATICE."),
        (date(2017, 6, 1), 41, "Après l’appel à candidatures du PAF."),
    ),
    "Pourcentage de formations hybrides": ((date(2017, 6, 30), Decimal("18.5"), "Bilan du PAF 2016-2017."),),
}


def create_demo_roadmap():
    """(roadmap, created): the example in the demo académie; left as it is when already there."""
    academy = Academy.objects.get(code=DEMO_ACADEMY_CODE)
    admin = (
        Membership.objects.active()
        .filter(role=Role.ACADEMY_ADMIN, academy=academy)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    user = admin.user if admin else None
    with transaction.atomic():
        roadmap, created = load_roadmap(LIMOGES, academy, user)
        if created:
            for axis in roadmap.axes.all():
                for indicator in axis.indicators.all():
                    for on, value, comment in MANUAL_VALUES.get(indicator.title, ()):
                        IndicatorValue.objects.create(
                            indicator=indicator, on=on, value=value, comment=comment, recorded_by=user
                        )
    return roadmap, created
