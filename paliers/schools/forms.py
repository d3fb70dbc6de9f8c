from django import forms

from .models import district_labels


class DistrictChoiceField(forms.ModelChoiceField):
    """A choice of district, each named by its kind and place (`District.label`), with its
    code where two of the list read the same."""

    def label_from_instance(self, obj):
        queryset = self.queryset
        if getattr(self, "_labelled", None) is not queryset:
            self._labels, self._labelled = district_labels(queryset), queryset
        return self._labels.get(obj.pk, obj.label)
