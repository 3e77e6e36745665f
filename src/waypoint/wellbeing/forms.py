from django import forms
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import Organisation
from waypoint.wellbeing.instruments import Instrument
from waypoint.wellbeing.models import CommandNotice, Enrolment, Review


class AnswersForm(forms.Form):
    """One radio group per item of the instrument, labelled in the reader's language."""

    def __init__(self, instrument: Instrument, language: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            self.fields[f"item_{item.id}"] = forms.TypedChoiceField(
                label=instrument.text(item.text, language),
                choices=[(o.value, instrument.text(o.label, language)) for o in item.options],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )

    def answers(self) -> list[int | None]:
        return [
            None
            if self.cleaned_data[f"item_{item.id}"] in ("", None)
            else self.cleaned_data[f"item_{item.id}"]
            for item in self.instrument.items
        ]


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Why the answers are corrected"), max_length=1000)


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Review.Outcome.choices)
    plan = forms.CharField(
        label=_("Plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    notes = forms.CharField(
        label=_("Clinical notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class EnrolForm(forms.Form):
    programme = forms.ChoiceField(label=_("Support programme"), choices=Enrolment.Programme.choices)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ScheduleForm(forms.Form):
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))


class NoticeForm(forms.Form):
    command = forms.ModelChoiceField(
        label=_("Command (unit)"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.DEFENCE_UNIT, is_active=True),
    )
    standard = forms.ChoiceField(
        label=_("Notification standard"), choices=CommandNotice.Standard.choices
    )
    limitations = forms.MultipleChoiceField(
        label=_("Duty limitations"),
        choices=CommandNotice.Limitation.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    until = forms.DateField(
        label=_("Expected to last until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    support = forms.CharField(
        label=_("How the command can support"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReturnForm(forms.Form):
    returned_on = forms.DateField(
        label=_("Returned from deployment on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
