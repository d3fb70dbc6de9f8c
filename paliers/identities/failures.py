"""Why a sign-in through a provider failed, in words a person can act on.

Every failure raises `SignInFailure(reason)`; the views turn it into a French page (never a
500), write it to the security journal and to the log.
"""

import logging

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("paliers.identities")

RETRY = _("Revenez à la page de connexion et recommencez.")
HELPDESK = _(
    "Si cela se reproduit, prévenez l’assistance de votre académie en indiquant l’heure de la tentative "
    "et ce message."
)

# reason: (HTTP status, title, explanation, what to do)
REASONS = {
    "unreachable": (
        503,
        _("Le service d’identité ne répond pas"),
        _("Paliers n’a pas pu joindre {provider}. Le service est peut-être en maintenance ou surchargé."),
        _(
            "Réessayez dans quelques minutes. Si votre compte a un mot de passe Paliers, vous pouvez aussi "
            "vous connecter avec lui."
        ),
    ),
    "cancelled": (
        200,
        _("Connexion annulée"),
        _("Vous avez annulé la connexion chez {provider} : rien n’a été enregistré."),
        RETRY,
    ),
    "provider_error": (
        502,
        _("Le service d’identité a refusé la connexion"),
        _("{provider} a répondu par une erreur : la connexion n’a pas abouti."),
        RETRY,
    ),
    "signature": (
        400,
        _("La réponse du service d’identité n’a pas pu être vérifiée"),
        _("La signature de la réponse de {provider} est invalide : Paliers l’a refusée par sécurité."),
        RETRY,
    ),
    "audience": (
        400,
        _("La réponse du service d’identité n’était pas destinée à Paliers"),
        _(
            "La réponse de {provider} était adressée à un autre service ou venait d’un autre émetteur : "
            "Paliers l’a refusée par sécurité."
        ),
        RETRY,
    ),
    "expired": (
        400,
        _("La réponse du service d’identité a expiré"),
        _("La réponse de {provider} est arrivée trop tard pour être acceptée."),
        RETRY,
    ),
    "replayed": (
        400,
        _("Ce lien de connexion a déjà servi ou a expiré"),
        _(
            "Chaque retour de {provider} ne sert qu’une fois, dans le navigateur qui a commencé la "
            "connexion. Ce lien a déjà été utilisé, ou la connexion a été commencée ailleurs."
        ),
        RETRY,
    ),
    "no_email": (
        403,
        _("Le service d’identité n’a pas donné d’adresse électronique"),
        _(
            "{provider} n’a pas transmis votre adresse électronique : Paliers ne peut pas trouver votre "
            "invitation."
        ),
        _("Vérifiez que vous acceptez de partager votre adresse chez {provider}, puis recommencez."),
    ),
    "not_invited": (
        403,
        _("Aucun compte Paliers n’attend cette identité"),
        _(
            "Vous êtes bien identifié par {provider} comme {email}, mais personne ne vous a encore invité "
            "dans Paliers avec cette adresse. La connexion ne crée jamais de compte ni de rôle."
        ),
        _(
            "Demandez une invitation à la délégation académique au numérique (DAN) de votre académie, "
            "en donnant cette adresse. Les chefs d’établissement et directeurs d’école sont invités sur la "
            "boîte officielle de l’établissement (ce.UAI@…) : consultez-la."
        ),
    ),
    "inactive": (
        403,
        _("Ce compte Paliers est fermé"),
        _("L’identité donnée par {provider} est liée à un compte qui a été fermé ou qui n’a plus de rôle."),
        _(
            "Demandez à la délégation académique au numérique (DAN) de votre académie de vous inviter de "
            "nouveau."
        ),
    ),
    "conflict": (
        403,
        _("Ce compte est déjà lié à une autre identité"),
        _("Le compte Paliers de {email} est déjà lié à une autre identité chez {provider}."),
        _(
            "Connectez-vous avec l’identité déjà liée, ou demandez à la délégation académique au numérique "
            "(DAN) de vérifier votre compte."
        ),
    ),
    "locked": (
        429,
        _("Connexion temporairement bloquée"),
        _("Trop de tentatives de connexion ont échoué pour votre compte : il est bloqué pour 15 minutes."),
        _("Réessayez dans 15 minutes."),
    ),
    "not_configured": (
        404,
        _("Ce moyen de connexion n’existe pas"),
        _("Aucun service d’identité de ce nom n’est configuré pour Paliers."),
        RETRY,
    ),
}


class SignInFailure(Exception):
    def __init__(self, reason, detail="", *, email="", user=None):
        super().__init__(f"{reason}: {detail}")
        assert reason in REASONS
        self.reason, self.detail, self.email, self.user = reason, detail, email, user
