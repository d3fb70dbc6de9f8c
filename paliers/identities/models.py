from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from paliers.accounts.models import Role
from paliers.schools.models import Academy


class Identity(models.Model):
    """A person's identity at a provider (issuer + subject), linked to their account at
    their first SSO sign-in. Later sign-ins follow this link, whatever e-mail the provider
    then gives."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="identities",
        verbose_name=_("compte"),
    )
    provider = models.CharField(_("fournisseur"), max_length=40)  # the configured name: proconnect, cas…
    issuer = models.CharField(_("émetteur"), max_length=300)
    subject = models.CharField(_("identifiant chez le fournisseur"), max_length=255)
    email = models.EmailField(_("adresse donnée par le fournisseur"), blank=True)
    linked_at = models.DateTimeField(_("liée le"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("dernière connexion le"), null=True, blank=True)

    class Meta:
        verbose_name = _("identité fédérée")
        verbose_name_plural = _("identités fédérées")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"],
                name="identity_unique_subject",
                violation_error_message=_("Cette identité est déjà liée à un compte."),
            ),
            models.UniqueConstraint(
                fields=["user", "issuer"],
                name="identity_one_per_issuer",
                violation_error_message=_("Ce compte a déjà une identité chez ce fournisseur."),
            ),
        ]

    def __str__(self):
        return f"{self.provider} : {self.subject}"


class AcademySignIn(models.Model):
    """How the people of an académie sign in: the académie may turn local passwords off."""

    academy = models.OneToOneField(
        Academy, on_delete=models.CASCADE, related_name="sign_in", verbose_name=_("académie")
    )
    local_passwords = models.BooleanField(_("mots de passe Paliers permis"), default=True)
    changed_at = models.DateTimeField(_("modifié le"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("réglage de connexion d’une académie")
        verbose_name_plural = _("réglages de connexion des académies")

    def __str__(self):
        if self.local_passwords:
            return gettext("%(academy)s : mots de passe permis") % {"academy": self.academy}
        return gettext("%(academy)s : mots de passe désactivés") % {"academy": self.academy}


class RuleScope(models.TextChoices):
    ACADEMY = "academy", _("l’académie")
    SCHOOL_FROM_CLAIM = "school_from_claim", _("l’école ou l’établissement dont l’UAI est dans la donnée")


class AdmissionRule(models.Model):
    """An invitation written in advance by an académie: whoever signs in through SSO with
    `claim` matching `value` receives `role` — on the académie, or on the school whose UAI
    the claim holds (e.g. FrEduRneResp for heads). Nobody else enters uninvited."""

    academy = models.ForeignKey(
        Academy, on_delete=models.CASCADE, related_name="+", verbose_name=_("académie")
    )
    provider = models.CharField(_("fournisseur"), max_length=40)  # its name in the configuration
    claim = models.CharField(_("donnée d’identité"), max_length=100)
    value = models.CharField(
        _("valeur attendue"),
        max_length=200,
        blank=True,
        help_text=_("Vide : toute valeur. Pour une UAI, laisser vide ou donner le début de la valeur."),
    )
    role = models.CharField(_("rôle donné"), max_length=20, choices=Role.choices)
    scope = models.CharField(_("périmètre"), max_length=20, choices=RuleScope.choices)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("règle d’admission")
        verbose_name_plural = _("règles d’admission")
        ordering = ["academy", "provider", "claim", "pk"]

    def __str__(self):
        return f"{self.provider} : {self.claim} = {self.value or '*'} → {self.get_role_display()}"
