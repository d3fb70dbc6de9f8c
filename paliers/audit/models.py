"""The security journal: who did what that matters for security, when, from which scope.

Events are written, never changed; académie administrators read those of their académie.
Kept a year (`paliers purge_audit`), as the data-protection page says.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from paliers.schools.models import Academy


class EventKind(models.TextChoices):
    LOGIN = "connexion", _("connexion")
    LOGIN_FAILED = "echec_connexion", _("échec de connexion")
    LOCKED_OUT = "blocage", _("blocage après échecs")
    ROLE_GRANTED = "role_donne", _("rôle donné")
    ROLE_REVOKED = "role_retire", _("rôle retiré")
    IMPORT = "import", _("import")
    EXPORT = "export", _("export de données de plusieurs écoles")
    PERSONAL_DATA = "donnees_personnelles", _("téléchargement de ses données personnelles")
    ACCOUNT_DELETED = "compte_supprime", _("compte supprimé")
    CAMPAIGN = "campagne", _("campagne modifiée")
    PASSWORD = "mot_de_passe", _("mot de passe changé")
    API_TOKEN = "jeton_api", _("jeton d’API créé ou révoqué")
    SIGN_IN_SETTINGS = "reglages_connexion", _("réglages de connexion modifiés")
    FRAMEWORK = "referentiel", _("référentiel ou table de correspondance chargé")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("événement"), max_length=30, choices=EventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("par"),
    )  # fmt: skip
    # As typed at the login form, or the account's name: a failed login has no user.
    username = models.CharField(_("identifiant"), max_length=150, blank=True)
    # The actor's roles and scopes at that moment, in words (they may change later).
    scope = models.CharField(_("périmètre"), max_length=500, blank=True)
    # The académie concerned, which decides who may read the event.
    academy = models.ForeignKey(Academy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    detail = models.CharField(_("détail"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("événement de sécurité")
        verbose_name_plural = _("journal de sécurité")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["academy", "-at"], name="audit_academy_at")]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()} {self.username}"
