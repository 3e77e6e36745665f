from django import forms
from django.utils.translation import gettext_lazy as _

from waypoint.employment.models import Vacancy
from waypoint.people.models import WorkLimitation


class VacancyForm(forms.ModelForm):
    required_skills = forms.CharField(
        label=_("required skills"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, in your words: each is matched to the skills taxonomy."),
    )
    accessible_for = forms.MultipleChoiceField(
        label=_("suitable with these work limitations"),
        choices=WorkLimitation.Restriction.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Vacancy
        fields = [
            "title",
            "region",
            "address",
            "salary_min",
            "salary_max",
            "schedule",
            "employment_type",
            "openings",
            "veteran_quota",
            "education",
            "experience_years",
            "accessible_for",
            "is_civil_service",
            "is_municipal",
            "published_on",
            "closes_on",
        ]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
        }


class ProposeForm(forms.Form):
    veteran = forms.IntegerField(min_value=1, label=_("veteran number"))


class HireForm(forms.Form):
    start_date = forms.DateField(
        label=_("starts work"), widget=forms.DateInput(attrs={"type": "date"})
    )
    salary = forms.IntegerField(label=_("monthly salary, RUB"), min_value=1, max_value=100_000_000)


class FollowUpForm(forms.Form):
    still_employed = forms.TypedChoiceField(
        label=_("still employed"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    same_employer = forms.TypedChoiceField(
        label=_("with the same employer"),
        choices=[("", "—"), ("yes", _("yes")), ("no", _("no"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )
    note = forms.CharField(label=_("note"), max_length=500, required=False)
