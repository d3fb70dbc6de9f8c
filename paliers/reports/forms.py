from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from paliers.core.xlsx import MAX_UPLOAD_BYTES


class SpreadsheetForm(DsfrBaseForm):
    file = forms.FileField(
        label=_("Tableur rempli (XLSX)"),
        help_text=_(
            "Le fichier exporté de Paliers pour ce positionnement, rempli puis enregistré au format "
            "Excel (.xlsx). 5 Mo au plus."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Fichier trop volumineux : 5 Mo au plus."))
        return upload
