from django import forms
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import Organisation
from waypoint.appeals.models import Appeal, Topic
from waypoint.regions.models import Region


def _choose(choices) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


class AppealForm(forms.Form):
    """The hotline page, in the order a call goes: who calls, about whom, what about, how to
    answer. The veteran is picked from the search results (a radio named `veteran`)."""

    caller_kind = forms.ChoiceField(
        label=_("Who is calling"),
        choices=Appeal.Caller.choices,
        initial=Appeal.Caller.VETERAN,
        widget=forms.RadioSelect(attrs={"autofocus": True}),
    )
    caller_name = forms.CharField(
        label=_("Caller's name"),
        required=False,
        max_length=200,
        help_text=_("When the caller is not the veteran."),
    )
    caller_phone = forms.CharField(
        label=_("Caller's phone"),
        required=False,
        max_length=30,
        help_text=_("Needed with the reference to check the status; empty: the veteran's."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    veteran = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("the operator's region"),
        help_text=_("Only when the veteran is not known."),
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=_choose(Topic.choices))
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Appeal.Urgency.choices,
        initial=Appeal.Urgency.ORDINARY,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("What the caller asks for"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact_channel = forms.ChoiceField(
        label=_("Preferred contact"), choices=Appeal.Channel.choices, initial=Appeal.Channel.PHONE
    )
    contact_value = forms.CharField(
        label=_("Phone or e-mail to answer to"),
        required=False,
        max_length=254,
        help_text=_("Empty: the caller's phone (or the veteran's e-mail)."),
    )


class AnswerForm(forms.Form):
    outcome_kind = forms.ChoiceField(label=_("Outcome"), choices=_choose(Appeal.Outcome.choices))
    outcome = forms.CharField(
        label=_("Answer given to the caller"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class RuleForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), choices=_choose(Topic.choices))
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("any other region (the topic's fallback)"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Queue of"),
        queryset=Organisation.objects.filter(is_active=True).select_related("region"),
    )


class StatusForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "A-2026-000123", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )


class PeriodForm(forms.Form):
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
