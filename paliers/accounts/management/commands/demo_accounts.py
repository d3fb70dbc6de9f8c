from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from paliers.accounts.models import Membership, Role
from paliers.schools.demo import create_demo_directory, demo_department, demo_district, demo_school
from paliers.schools.models import SchoolKind

DEMO_PASSWORD = "paliers-demo"  # noqa: S105 (a demonstration login, printed on purpose)


def demo_accounts(academy):
    """(username, first name, last name, role, scope) of each demonstration login."""
    college = demo_school(SchoolKind.COLLEGE)
    ecole = demo_school(SchoolKind.ELEMENTAIRE)
    return [
        ("dan", "Delphine", "Académie", Role.ACADEMY_ADMIN, academy),
        ("animateur", "Antoine", "District", Role.ANIMATOR, demo_district()),
        ("inspectrice", "Inès", "Département", Role.OBSERVER, demo_department()),
        ("principale", "Patricia", "Collège", Role.SCHOOL_HEAD, college),
        ("referent", "Romain", "Collège", Role.SCHOOL_REFERENT, college),
        ("membre", "Maëlle", "Collège", Role.SCHOOL_MEMBER, college),
        ("directeur", "Denis", "École", Role.SCHOOL_HEAD, ecole),
    ]


class Command(BaseCommand):
    help = (
        "Crée l’académie de démonstration et un compte par rôle (s’ils n’existent pas), puis affiche "
        "les identifiants. Pour une démonstration locale seulement : le mot de passe est public."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        academy = create_demo_directory()
        academy = getattr(academy, "academy", academy)
        self.stdout.write(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD})")
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={
                "first_name": "Admin",
                "last_name": "Technique",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save(update_fields=["password"])
        self.stdout.write(f"  {'admin':<12} administrateur technique (tout, et /admin/)")
        for username, first_name, last_name, role, scope in demo_accounts(academy):
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{username}@demo.invalid",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            scope_field = type(scope).__name__.lower()
            Membership.objects.active().get_or_create(user=user, role=role, **{scope_field: scope})
            self.stdout.write(f"  {username:<12} {Role(role).label} — {scope}")
