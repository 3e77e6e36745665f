from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from waypoint.accounts.models import Organisation, User
from waypoint.accounts.roles import ROLES
from waypoint.regions.models import Region


def role_choices() -> list[tuple[str, str]]:
    return [(role.code, role.label) for role in ROLES]


def _organisations():
    return Organisation.objects.filter(is_active=True).select_related("region")


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=role_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the person may do; the list of roles says what each one allows."),
    )


class AccountForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=_organisations(),
        required=False,
        empty_label=_("none (a veteran's own account)"),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=User.Scope.choices,
        help_text=_(
            "Whose records the person sees within their rights: their own caseload, their "
            "organisation's, their organisation's region, or all."
        ),
    )

    def __init__(self, *args, current_organisation: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if current_organisation is not None and not current_organisation.is_active:
            # Someone still in a closed organisation is shown in it, not moved out of it.
            self.fields["organisation"].queryset = Organisation.objects.filter(
                Q(is_active=True) | Q(pk=current_organisation.pk)
            ).select_related("region")


class NewUserForm(RolesForm, AccountForm):
    username = forms.CharField(
        label=_("Login"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only; it cannot be changed later."),
    )
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Give it to the person in person; at least 10 characters."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=[("", _("as the first role has it")), *User.Scope.choices],
        required=False,
        help_text=AccountForm.base_fields["scope"].help_text,
    )

    field_order = [
        "username",
        "last_name",
        "first_name",
        "email",
        "organisation",
        "roles",
        "scope",
        "password",
    ]

    def clean_roles(self):
        roles = self.cleaned_data["roles"]
        if not roles:
            raise forms.ValidationError(_("choose at least one role"))
        return roles


class OrganisationForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("organisation", "Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    is_active = forms.BooleanField(
        label=pgettext_lazy("organisation", "Active"),
        required=False,
        initial=True,
        help_text=_("An organisation no longer active gets no new people, appeals or rules."),
    )
