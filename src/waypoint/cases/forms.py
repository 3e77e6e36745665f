from django import forms
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import Organisation, User
from waypoint.cases.models import Stage, TaskType, Track


class MoveForm(forms.Form):
    stage = forms.ModelChoiceField(
        label=_("stage"), queryset=Stage.objects.filter(is_active=True), required=False
    )
    track = forms.ModelChoiceField(
        label=_("track"), queryset=Track.objects.filter(is_active=True), required=False
    )


class TaskForm(forms.Form):
    type = forms.ModelChoiceField(
        label=_("task type"), queryset=TaskType.objects.filter(is_active=True)
    )
    title = forms.CharField(label=_("title"), max_length=200)
    assignee = forms.ModelChoiceField(
        label=_("assignee"),
        queryset=User.objects.filter(is_active=True).order_by("last_name", "first_name"),
        required=False,
    )
    queue = forms.ModelChoiceField(
        label=_("or an organisation's queue"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        required=False,
    )
    description = forms.CharField(
        label=_("description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
