from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from paliers.schools.models import Department, District, School, SchoolKind

from .models import ROLE_SCOPES, SCHOOL_ROLES, Role


class InviteForm(DsfrBaseForm):
    """Invite one person with a role on a scope of the administrator's académie(s)."""

    email = forms.EmailField(label=_("Adresse électronique"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)
    department = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("aucun"),
        help_text=_("Pour un animateur ou un observateur départemental."),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("aucun"),
        help_text=_("Circonscription, bassin ou zone d’animation pédagogique."),
    )
    school_uai = forms.CharField(
        label=_("UAI de l’école ou de l’établissement"),
        max_length=8,
        required=False,
        help_text=_(
            "Pour un chef d’établissement, un référent ou un membre de l’équipe ; exemple : 0940176F."
        ),
    )

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.academies = academies
        self.fields["department"].queryset = Department.objects.filter(academy__in=academies)
        self.fields["district"].queryset = District.objects.filter(
            department__academy__in=academies
        ).select_related("department")

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if not role:
            return data
        uai = (data.get("school_uai") or "").strip().upper()
        if uai:
            school = School.objects.filter(uai=uai, department__academy__in=self.academies).first()
            if school is None:
                self.add_error("school_uai", _("Aucune école de votre académie n’a l’UAI « %s ».") % uai)
                return data
            data["scope"] = school
        elif data.get("district"):
            data["scope"] = data["district"]
        elif data.get("department"):
            data["scope"] = data["department"]
        elif len(self.academies) == 1:
            data["scope"] = self.academies[0]
        else:
            raise forms.ValidationError(_("Choisissez le périmètre du rôle."))
        kind = type(data["scope"]).__name__.lower()
        kind = {"academy": "academy", "department": "department", "district": "district", "school": "school"}[
            kind
        ]
        if kind not in ROLE_SCOPES[role]:
            if role in SCHOOL_ROLES:
                self.add_error("school_uai", _("Ce rôle s’exerce dans une école : indiquez son UAI."))
            elif role == Role.ANIMATOR:
                self.add_error(
                    "district", _("Un animateur suit un département ou un district : choisissez-le.")
                )
            else:
                raise forms.ValidationError(
                    _("Ce rôle s’exerce sur toute l’académie : laissez le périmètre vide.")
                )
        return data


SCHOOL_GROUPS = {
    "ecoles": (SchoolKind.MATERNELLE, SchoolKind.ELEMENTAIRE, SchoolKind.PRIMAIRE),
    "colleges": (SchoolKind.COLLEGE,),
    "lycees": (SchoolKind.LGT, SchoolKind.LP, SchoolKind.LPO, SchoolKind.AGRICOLE, SchoolKind.EREA),
}


class InviteHeadsForm(DsfrBaseForm):
    """Choose the schools whose heads to invite, from the directory."""

    department = forms.ModelChoiceField(
        label=_("Département"), queryset=Department.objects.none(), required=False, empty_label=_("tous")
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False, empty_label=_("tous")
    )
    group = forms.ChoiceField(
        label=_("Écoles ou établissements"),
        choices=[
            ("", _("tous")),
            ("ecoles", _("écoles")),
            ("colleges", _("collèges")),
            ("lycees", _("lycées et EREA")),
        ],
        required=False,
    )

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.academies = academies
        self.fields["department"].queryset = Department.objects.filter(academy__in=academies)
        self.fields["district"].queryset = District.objects.filter(department__academy__in=academies)

    def schools(self):
        schools = School.objects.filter(department__academy__in=self.academies)
        data = self.cleaned_data
        if data.get("department"):
            schools = schools.filter(department=data["department"])
        if data.get("district"):
            schools = schools.filter(districts=data["district"])
        if data.get("group"):
            schools = schools.filter(kind__in=SCHOOL_GROUPS[data["group"]])
        return schools
