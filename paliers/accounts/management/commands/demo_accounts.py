from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_PASSWORD = "paliers-demo"  # noqa: S105 (a demonstration login, printed on purpose)
DEMO_ACCOUNTS = [
    {
        "username": "admin",
        "first_name": "Administratrice",
        "last_name": "Démo",
        "role": "administrateur (accès à l’administration Django)",
        "is_staff": True,
        "is_superuser": True,
    },
]


class Command(BaseCommand):
    help = (
        "Crée les comptes de démonstration (s’ils n’existent pas) et affiche les identifiants. "
        "Pour une démonstration locale seulement : le mot de passe est public."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        self.stdout.write(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD})")
        for account in DEMO_ACCOUNTS:
            fields = {key: value for key, value in account.items() if key not in {"username", "role"}}
            user, created = User.objects.get_or_create(username=account["username"], defaults=fields)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            state = "créé" if created else "existant"
            self.stdout.write(f"  {account['username']:<12} {account['role']} [{state}]")
