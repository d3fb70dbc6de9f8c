from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "paliers.core"
    label = "core"
    verbose_name = _("socle commun")

    def ready(self):
        from django.db.models import ForeignObject, IntegerField

        from .lookups import BoundedIn, BoundedRelatedExact, BoundedRelatedIn

        IntegerField.register_lookup(BoundedIn)
        ForeignObject.register_lookup(BoundedRelatedIn)
        ForeignObject.register_lookup(BoundedRelatedExact)

        from . import plurals

        plurals.install()
