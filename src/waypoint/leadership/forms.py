from django import forms
from django.utils.translation import gettext_lazy as _

from waypoint.leadership import selectors
from waypoint.leadership.models import CouncilVote, Track, TrackTest

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("no", _("No")), ("yes", _("Yes"))]


class TrackForm(forms.ModelForm):
    class Meta:
        model = Track
        fields = [
            "title",
            "description",
            "region",
            "cohort_size",
            "applications_open",
            "applications_close",
            "min_education",
            "min_management_years",
            "requires_clean_record",
            "interview_max_score",
            "interview_weight",
        ]
        widgets = {"applications_open": DATE, "applications_close": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].empty_label = _("nationwide")


class TestForm(forms.Form):
    name = forms.CharField(label=_("test"), max_length=120)
    max_score = forms.IntegerField(label=_("highest score"), min_value=1, max_value=1000)
    pass_mark = forms.IntegerField(label=_("pass mark"), min_value=0, max_value=1000)
    weight = forms.IntegerField(label=_("weight"), min_value=0, max_value=100)


TestFormSet = forms.formset_factory(TestForm, extra=2, can_delete=True)


def tests_of(formset) -> list[dict]:
    """The filled-in, not deleted rows of a valid test formset."""
    return [
        {key: form.cleaned_data[key] for key in ("name", "max_score", "pass_mark", "weight")}
        for form in formset.forms
        if form.has_changed() and not form.cleaned_data.get("DELETE")
    ]


class DeclarationForm(forms.Form):
    has_disqualifying_record = forms.TypedChoiceField(
        label=_(
            "Does the candidate have an unexpunged criminal conviction, or another bar to "
            "state or municipal service?"
        ),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class NominateForm(DeclarationForm):
    veteran = forms.IntegerField(label=_("veteran number"), min_value=1)


class EligibilityForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("eligible", _("eligible")), ("not_eligible", _("not eligible"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("reason or note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TestsDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("passed", _("passed the tests")), ("not_passed", _("did not pass the tests"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("reason or note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScoresForm(forms.Form):
    """One field per test of the track, named test_<id>."""

    def __init__(self, *args, tests: list[TrackTest], scores: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        for test in tests:
            self.fields[f"test_{test.pk}"] = forms.IntegerField(
                label=test.name,
                required=False,
                min_value=0,
                max_value=test.max_score,
                initial=scores.get(test.pk),
                help_text=_("0 to %(max)s; pass mark %(pass)s")
                % {"max": test.max_score, "pass": test.pass_mark},
            )


class InterviewForm(forms.Form):
    score = forms.IntegerField(label=_("interview score"), min_value=0, max_value=1000)
    held_on = forms.DateField(label=_("interview date"), widget=DATE)
    panel = forms.CharField(label=_("interview panel"), max_length=300)
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlacementForm(forms.Form):
    vacancy = forms.ModelChoiceField(
        label=_("civil-service or municipal vacancy"),
        queryset=selectors.public_vacancies(),
        required=False,
    )
    employer = forms.ModelChoiceField(
        label=_("or: state or municipal employer"),
        queryset=selectors.public_employers(),
        required=False,
    )
    post_title = forms.CharField(label=_("post"), max_length=300, required=False)
    start_date = forms.DateField(label=_("starts in the post"), widget=DATE)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason (optional)"), max_length=300, required=False)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("date"), widget=DATE)
    members = forms.ModelMultipleChoiceField(
        label=_("members"),
        queryset=selectors.council_members(),
        widget=forms.CheckboxSelectMultiple,
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


class VoteForm(forms.Form):
    candidacy = forms.IntegerField(min_value=1)
    member = forms.IntegerField(min_value=1)
    vote = forms.ChoiceField(choices=CouncilVote.Choice.choices)
