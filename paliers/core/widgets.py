from django import forms


class DateInput(forms.DateInput):
    """The browser's date field, pre-filled as it expects (ISO: « 2026-12-04 »): with the
    French format (« 04/12/2026 ») it would open empty and lose the date on the next save."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
