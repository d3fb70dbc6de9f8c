from dataclasses import replace

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from paliers.core.xlsx import MAX_UPLOAD_BYTES
from paliers.frameworks.loading import spec_from_db
from paliers.frameworks.models import Framework
from paliers.frameworks.validation import SLUG_PATTERN
from paliers.frameworks.widgets import FrameworkTextSelect

MAX_CROSSWALK_BYTES = 1024 * 1024
NEW_VERSION, NEW_FRAMEWORK = "version", "new"


class WorkbookForm(DsfrBaseForm):
    file = forms.FileField(
        label=_("Classeur du référentiel (XLSX)"),
        help_text=_("Le modèle de Paliers rempli, enregistré au format Excel (.xlsx). 5 Mo au plus."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Fichier trop volumineux : 5 Mo au plus."))
        return upload


class CrosswalkForm(DsfrBaseForm):
    file = forms.FileField(
        label=_("Table de correspondance (YAML)"),
        help_text=_("Un fichier .yaml au format décrit dans la documentation. 1 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CROSSWALK_BYTES:
            raise forms.ValidationError(_("Fichier trop volumineux : 1 Mo au plus."))
        return upload


class LoadForm(DsfrBaseForm):
    """Load the previewed framework as a new version of a loaded one, or as a new framework."""

    mode = forms.ChoiceField(
        label=_("Charger ce référentiel"),
        choices=[
            (NEW_VERSION, _("comme une nouvelle version d’un référentiel chargé")),
            (NEW_FRAMEWORK, _("comme un nouveau référentiel")),
        ],
        widget=forms.RadioSelect,
    )
    base = forms.ChoiceField(
        label=_("Référentiel dont c’est une nouvelle version"), required=False, widget=FrameworkTextSelect
    )
    slug = forms.CharField(
        label=_("Identifiant du nouveau référentiel"),
        help_text=_("Minuscules, chiffres et tirets."),
        max_length=80,
        required=False,
    )

    def __init__(self, *args, spec, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        latest = {}  # each framework's latest version, read in the page's language
        for framework in Framework.objects.order_by("slug", "-loaded_at"):
            latest.setdefault(framework.slug, framework)
        self.known = {slug: f"{framework.title} ({slug})" for slug, framework in latest.items()}
        self.fields["base"].choices = [("", "—"), *self.known.items()]
        self.fields["base"].widget.rows = latest

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        version = self.spec.version
        if mode == NEW_VERSION:
            base = data.get("base")
            if not base:
                self.add_error("base", _("Choisissez le référentiel dont c’est une nouvelle version."))
                return data
            latest = Framework.objects.filter(slug=base).order_by("-loaded_at").first()
            if latest.audience != self.spec.audience:
                self.add_error(
                    "base",
                    _("Une nouvelle version garde le public du référentiel (%(audience)s).")
                    % {"audience": latest.get_audience_display()},
                )
            data["chosen_slug"] = base
        elif mode == NEW_FRAMEWORK:
            slug = (data.get("slug") or "").strip()
            if not SLUG_PATTERN.match(slug):
                self.add_error("slug", _("Identifiant invalide : minuscules, chiffres et tirets."))
            elif slug in self.known:
                self.add_error(
                    "slug",
                    _(
                        "Cet identifiant est déjà pris : choisissez « nouvelle version » "
                        "ou un autre identifiant."
                    ),
                )
            data["chosen_slug"] = slug
        existing = Framework.objects.filter(slug=data.get("chosen_slug"), version=version).first()
        # Translations may change on a loaded version (loading.py); its French texts never do.
        if (
            existing is not None
            and spec_from_db(existing).content() != replace(self.spec, slug=existing.slug).content()
        ):
            self.add_error(
                "base",
                _(
                    "La version « %(version)s » de ce référentiel est déjà chargée avec un autre "
                    "contenu ; un référentiel chargé ne change plus : changez la version dans la "
                    "feuille « Référentiel »."
                )
                % {"version": version},
            )
        return data
