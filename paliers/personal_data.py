"""Personal data (RGPD): what Paliers holds about a person, and deleting an account.

Both read every model of every app: a row is about a person when one of its foreign keys
points to their account. New apps are covered without being listed here — which is why
this lives in the project package, the one place that sees every app.
"""

from django.apps import apps
from django.conf import settings
from django.core.serializers.python import Serializer
from django.db import transaction
from django.db.models import ForeignKey, Q
from django.utils import timezone

from paliers.accounts.models import DELETED_ACCOUNT, Membership
from paliers.audit.journal import record
from paliers.audit.models import AuditEvent, EventKind

# Never handed out, even to their owner: secrets, or derived from secrets.
SECRET_FIELDS = {"password", "key_hash"}
ACCOUNT_FIELDS = ("username", "first_name", "last_name", "email", "date_joined", "last_login", "is_active")


def _user_foreign_keys():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, ForeignKey) and field.related_model is user_model:
                yield model, field


def personal_data(user):
    """{"compte": {...}, "donnees": {"app.model": [rows]}}: every row pointing to the person,
    with its fields as stored (foreign keys as ids), secrets left out."""
    rows = {}
    by_model = {}
    for model, field in _user_foreign_keys():
        by_model.setdefault(model, []).append(field.name)
    for model, names in sorted(by_model.items(), key=lambda item: item[0]._meta.label_lower):
        condition = Q()
        for name in names:
            condition |= Q(**{name: user})
        objects = model._default_manager.filter(condition).order_by("pk")
        fields = [f.name for f in model._meta.concrete_fields if f.name not in SECRET_FIELDS]
        serialized = Serializer().serialize(objects, fields=fields)
        if serialized:
            rows[model._meta.label_lower] = [{"id": item["pk"], **item["fields"]} for item in serialized]
    account = {name: getattr(user, name) for name in ACCOUNT_FIELDS}
    return {"compte": account, "donnees": rows, "exporte_le": timezone.now()}


@transaction.atomic
def delete_account(user, deleted_by, request=None):
    """Empty the account of personal data and close it. Its row stays, so that answers,
    objectives and every history keep saying that someone acted: « compte supprimé »."""
    names = {n for n in (user.get_full_name(), user.username, user.email) if n}
    now = timezone.now()
    for membership in Membership.objects.active().filter(user=user):
        membership.revoked_at, membership.revoked_by = now, deleted_by
        membership.save(update_fields=["revoked_at", "revoked_by"])
    apps.get_model("api", "ApiToken").objects.filter(user=user).delete()
    # Identities at providers go: a sign-in through them must not reach the closed account.
    apps.get_model("identities", "Identity").objects.filter(user=user).delete()
    number = user.pk
    user.username = f"compte-supprime-{number}"
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()
    user.is_active = False
    user.deleted_at = now
    user.save()
    # The security journal keeps the events, without the person's name.
    AuditEvent.objects.filter(user=user).update(username=DELETED_ACCOUNT)
    for event in AuditEvent.objects.filter(_mentions(names)):
        for name in names:
            event.detail = event.detail.replace(name, DELETED_ACCOUNT)
        event.save(update_fields=["detail"])
    record(EventKind.ACCOUNT_DELETED, request=request, user=deleted_by, detail=f"compte n° {number}")
    return user


def _mentions(names):
    condition = Q(pk__in=[])
    for name in names:
        condition |= Q(detail__contains=name)
    return condition
