from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from paliers.schools.models import Academy, Department, District, School
from paliers.schools.words import school_words

DELETED_ACCOUNT = "compte supprimé"  # stored (usernames, journal details): stays French


class User(AbstractUser):
    """A person using Paliers; what they may see comes from their memberships."""

    # A deleted account keeps its row, emptied of personal data, so that the history of
    # answers and objectives still says « compte supprimé » where the person acted.
    deleted_at = models.DateTimeField(_("supprimé le"), null=True, blank=True)
    # The interface language the person chose (empty: the language cookie, else French).
    language = models.CharField(
        _("langue de l’interface"), max_length=8, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self):
        if self.deleted_at:
            return gettext("compte supprimé")
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    ACADEMY_ADMIN = "academy_admin", _("délégation académique au numérique (DAN)")
    ANIMATOR = "animator", _("animateur ou IEN TICE")
    OBSERVER = "observer", _("inspecteur, observateur")
    SCHOOL_HEAD = "school_head", _("chef d’établissement, directeur d’école")
    SCHOOL_REFERENT = "school_referent", _("référent numérique")
    SCHOOL_MEMBER = "school_member", _("membre de l’équipe")


SCHOOL_ROLES = (Role.SCHOOL_HEAD, Role.SCHOOL_REFERENT, Role.SCHOOL_MEMBER)
# Which kinds of scope each role may hold.
ROLE_SCOPES = {
    Role.ACADEMY_ADMIN: ("academy",),
    Role.ANIMATOR: ("department", "district"),
    Role.OBSERVER: ("academy", "department", "district", "school"),
    Role.SCHOOL_HEAD: ("school",),
    Role.SCHOOL_REFERENT: ("school",),
    Role.SCHOOL_MEMBER: ("school",),
}
SCOPE_FIELDS = ("academy", "department", "district", "school")


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class Membership(models.Model):
    """A role within one scope: an académie, a département, a district or a school."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, null=True, blank=True)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, null=True, blank=True)
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True)
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("rôle")
        verbose_name_plural = _("rôles")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(academy__isnull=False, department=None, district=None, school=None)
                    | Q(academy=None, department__isnull=False, district=None, school=None)
                    | Q(academy=None, department=None, district__isnull=False, school=None)
                    | Q(academy=None, department=None, district=None, school__isnull=False)
                ),
                name="membership_exactly_one_scope",
                violation_error_message=_("Un rôle s’exerce sur exactement un périmètre."),
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.scope}"

    @property
    def scope(self):
        return self.academy or self.department or self.district or self.school

    @property
    def role_label(self):
        """The role as its school says it: « chef d’établissement » at a collège,
        « directeur ou directrice d’école » at an école (paliers.schools.words)."""
        if self.role == Role.SCHOOL_HEAD and self.school_id:
            return school_words(self.school).head
        return self.get_role_display()

    @property
    def scope_kind(self):
        return next(field for field in SCOPE_FIELDS if getattr(self, f"{field}_id"))
