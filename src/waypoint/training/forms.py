from django import forms

from waypoint.training.models import Programme


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "title",
            "description",
            "duration_weeks",
            "format",
            "location",
            "region",
            "cost",
            "payer",
            "language",
            "min_education",
            "is_active",
        ]


class CohortForm(forms.Form):
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    seats = forms.IntegerField(min_value=1, max_value=10_000)


class EnrolForm(forms.Form):
    veteran = forms.IntegerField(min_value=1, label="veteran number")
