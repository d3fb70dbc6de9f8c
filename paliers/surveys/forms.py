from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from paliers.core.widgets import DateInput

from .opening import check_dates


class SurveyDatesForm(DsfrBaseForm):
    opens_on = forms.DateField(label=_("Ouverture"), widget=DateInput())
    closes_on = forms.DateField(
        label=_("Clôture"),
        help_text=_("Dernier jour pour répondre ou modifier sa réponse."),
        widget=DateInput(),
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on"):
            for field, message in check_dates(self.campaign, data["opens_on"], data["closes_on"]).items():
                self.add_error(field, message)
        return data
