from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person using Paliers. Roles and scopes come with the directory of schools;
    the custom model exists from the start so they can be added without a swap."""

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
