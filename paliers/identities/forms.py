from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from paliers.accounts.forms import LoginForm
from paliers.accounts.models import Role
from paliers.schools.models import Academy

from .models import AdmissionRule, RuleScope
from .passwords import local_password_allowed


class PasswordLoginForm(LoginForm):
    """The Paliers password form, refused to people whose académie turned passwords off."""

    error_messages = {
        **LoginForm.error_messages,
        "passwords_off": _(
            "Les mots de passe Paliers sont désactivés pour votre compte : connectez-vous avec le service "
            "d’identité proposé sur cette page (ProConnect, ENT…)."
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not local_password_allowed(user):
            raise ValidationError(self.error_messages["passwords_off"], code="passwords_off")


class PasswordsForm(DsfrBaseForm):
    local_passwords = forms.BooleanField(
        label=_("Permettre les mots de passe Paliers aux personnes de l’académie"),
        required=False,
        help_text=_("Décoché : elles ne se connectent que par le service d’identité."),
    )


class AdmissionRuleForm(DsfrBaseForm, forms.ModelForm):
    provider = forms.ChoiceField(label=_("Fournisseur"), choices=())

    class Meta:
        model = AdmissionRule
        fields = ["provider", "claim", "value", "role", "scope"]
        help_texts = {
            "claim": _("Nom exact de la donnée, par exemple FrEduRneResp ou FrEduFonctAdm."),
            "scope": _("Pour une école, la valeur de la donnée doit commencer par son UAI (0940176F…)."),
        }

    def __init__(self, *args, providers, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = providers
        academies = list(academies)
        if len(academies) == 1:  # a DAN's own académie: nothing to choose
            self.instance.academy = academies[0]
        else:  # who administers several (the technical administrator: all) says which
            self.fields = {
                "academy": forms.ModelChoiceField(
                    label=_("Académie"),
                    queryset=Academy.objects.filter(pk__in=[academy.pk for academy in academies]),
                ),
                **self.fields,
            }

    def clean(self):
        data = super().clean()
        if data.get("academy"):
            self.instance.academy = data["academy"]
        role, scope = data.get("role"), data.get("scope")
        if scope == RuleScope.ACADEMY and role not in (Role.ACADEMY_ADMIN, Role.OBSERVER):
            self.add_error("role", _("Sur toute l’académie : DAN ou observateur seulement."))
        if scope == RuleScope.SCHOOL_FROM_CLAIM and role not in (
            Role.SCHOOL_HEAD, Role.SCHOOL_REFERENT, Role.SCHOOL_MEMBER, Role.OBSERVER
        ):  # fmt: skip
            self.add_error("role", _("Sur une école : un rôle d’école ou observateur."))
        return data
