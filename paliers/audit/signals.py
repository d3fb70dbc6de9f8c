"""Security events that Django, django-axes and accounts signal: logins, failures,
lock-outs, roles, passwords."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from paliers.accounts.models import Membership
from paliers.accounts.signals import password_changed

from .journal import academy_of_scope, record
from .models import EventKind


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    # A sign-in through an identity provider says which, and with which identity.
    record(EventKind.LOGIN, request=request, user=user, detail=getattr(user, "sign_in_detail", ""))


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    known = get_user_model().objects.filter(username=username).first()
    record(EventKind.LOGIN_FAILED, request=request, user=known, username=username)


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs):
    known = get_user_model().objects.filter(username=username).first()
    record(EventKind.LOCKED_OUT, request=request, user=known, username=username,
           detail="connexion bloquée après trop d’échecs")  # fmt: skip


@receiver(password_changed)
def password_set(sender, request, user, how, **kwargs):
    record(EventKind.PASSWORD, request=request, user=user, detail=f"mot de passe choisi {how}")


@receiver(pre_save, sender=Membership)
def remember_revocation(sender, instance, **kwargs):
    instance._was_revoked = bool(
        instance.pk and Membership.objects.filter(pk=instance.pk, revoked_at__isnull=False).exists()
    )


@receiver(post_save, sender=Membership)
def role_changed(sender, instance, created, **kwargs):
    academy = academy_of_scope(instance.scope)
    words = f"{instance.user} : {instance.get_role_display()} — {instance.scope}"
    if created:
        record(EventKind.ROLE_GRANTED, user=instance.created_by, academy=academy, detail=words)
    elif instance.revoked_at and not instance._was_revoked:
        record(EventKind.ROLE_REVOKED, user=instance.revoked_by, academy=academy, detail=words)
