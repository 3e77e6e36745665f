from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.forms import modelform_factory
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from waypoint.kit.phone import MAX_TYPED_LENGTH
from waypoint.people import consents, registration, services
from waypoint.people.models import (
    Consent,
    Preferences,
    ServiceRecord,
    Veteran,
    WorkLimitation,
)
from waypoint.regions.data import ABROAD
from waypoint.regions.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _dates(fields: list[str]) -> dict[str, forms.Widget]:
    return {name: DATE for name in fields}


def regions_by_name():
    """Regions in the alphabetical order of the interface's language, "abroad" last."""
    name = "name_ru" if get_language() == "ru" else "name_en"
    return Region.objects.annotate(
        abroad=Case(When(code=ABROAD, then=Value(1)), default=Value(0))
    ).order_by("abroad", name)


class IdentityForm(forms.ModelForm):
    """Minimum intake fields first; the service normalises and validates again."""

    class Meta:
        model = Veteran
        fields = [
            "last_name",
            "first_name",
            "patronymic",
            "birth_date",
            "sex",
            "phone",
            "region",
            "last_name_latin",
            "first_name_latin",
            "email",
            "address",
            "driving_licences",
            "entered_on",
        ]
        widgets = {
            "birth_date": DATE,
            "entered_on": DATE,
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_by_name()
        # The phone is normalised by the service; the model validator expects E.164, and its
        # 16 characters would cut "8 (916) 123-45-67" short as it is typed.
        phone = self.fields["phone"]
        phone.validators = []
        phone.max_length = MAX_TYPED_LENGTH
        phone.widget.attrs["maxlength"] = str(MAX_TYPED_LENGTH)
        if "entered_on" in self.fields:
            # Prefilled with today; left empty it means today (or, on a record, unchanged).
            self.fields["entered_on"].required = False
            self.fields["entered_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_entered_on(self):
        value = self.cleaned_data.get("entered_on")
        if value is None and self.instance.pk:
            return self.instance.entered_on
        return value

    def _post_clean(self):
        # Model validation runs in the service, after normalisation.
        pass


class IntakeForm(IdentityForm):
    consent_personal_data = forms.BooleanField(
        label=_("The veteran consents to the processing of personal data"), required=False
    )
    consent_health_data = forms.BooleanField(
        label=_("The veteran consents, in writing, to the processing of health data"),
        required=False,
    )
    consent_channel = forms.ChoiceField(
        label=_("How consent was given"),
        choices=[c for c in Consent.Channel.choices if c[0] != Consent.Channel.SELF_SERVICE],
    )
    confirm_not_duplicate = forms.BooleanField(
        label=_("This is a different person: register anyway"), required=False
    )

    def clean_consent_personal_data(self):
        if not self.cleaned_data.get("consent_personal_data"):
            raise ValidationError(
                _("the veteran's consent to the processing of personal data is required")
            )
        return True

    def consents_given(self) -> list[registration.ConsentGiven]:
        channel = self.cleaned_data["consent_channel"]
        given = [registration.ConsentGiven(Consent.Purpose.PERSONAL_DATA, channel)]
        if self.cleaned_data.get("consent_health_data"):
            given.append(registration.ConsentGiven(Consent.Purpose.HEALTH_DATA, channel))
        return given


class SelfRegistrationForm(IdentityForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    password_again = forms.CharField(label=_("Password again"), widget=forms.PasswordInput)
    consent_personal_data = forms.BooleanField(
        label=_("I consent to the processing of my personal data"), required=False
    )
    consent_health_data = forms.BooleanField(
        label=_("I consent to the processing of my health data (work limitations)"),
        required=False,
    )
    consent_contact = forms.BooleanField(
        label=_("I agree to be contacted about jobs, training and support"), required=False
    )

    class Meta(IdentityForm.Meta):
        fields = [
            "last_name",
            "first_name",
            "patronymic",
            "birth_date",
            "sex",
            "phone",
            "email",
            "region",
        ]

    def clean_consent_personal_data(self):
        if not self.cleaned_data.get("consent_personal_data"):
            raise ValidationError(
                _("registration needs your consent to the processing of personal data")
            )
        return True

    def clean_password_again(self):
        if self.cleaned_data.get("password") != self.cleaned_data.get("password_again"):
            raise ValidationError(_("the two passwords differ"))
        return self.cleaned_data["password_again"]

    def consents_given(self) -> list[registration.ConsentGiven]:
        channel = Consent.Channel.SELF_SERVICE
        purposes = [Consent.Purpose.PERSONAL_DATA]
        if self.cleaned_data.get("consent_health_data"):
            purposes.append(Consent.Purpose.HEALTH_DATA)
        if self.cleaned_data.get("consent_contact"):
            purposes.append(Consent.Purpose.CONTACT)
        return [registration.ConsentGiven(purpose, channel) for purpose in purposes]


def registration_from(form: IdentityForm, consents_given) -> registration.Registration:
    data = form.cleaned_data
    return registration.Registration(
        last_name=data["last_name"],
        first_name=data["first_name"],
        patronymic=data.get("patronymic", ""),
        birth_date=data["birth_date"],
        sex=data["sex"],
        phone=data["phone"],
        region=data["region"].code,
        consents=consents_given,
        last_name_latin=data.get("last_name_latin", ""),
        first_name_latin=data.get("first_name_latin", ""),
        email=data.get("email", ""),
        address=data.get("address", ""),
        driving_licences=data.get("driving_licences", ""),
        entered_on=data.get("entered_on"),
    )


class ServiceStartForm(forms.ModelForm):
    """The optional first service record on the intake form (prefixed "service")."""

    class Meta:
        model = ServiceRecord
        fields = services.PART_FIELDS[ServiceRecord]
        widgets = _dates(["start_date", "end_date"])

    def has_content(self) -> bool:
        return any(self.data.get(f"{self.prefix}-{name}") for name in ("specialty", "start_date"))


def veteran_form_class(fields: list[str]) -> type[forms.ModelForm]:
    form = modelform_factory(
        Veteran, form=IdentityForm, fields=fields, widgets={"birth_date": DATE, "entered_on": DATE}
    )
    return form


def part_form_class(kind: str) -> type[forms.ModelForm]:
    model = services.PARTS[kind]
    fields = services.PART_FIELDS[model]
    return modelform_factory(
        model, fields=fields, widgets=_dates(["start_date", "end_date"]), form=_NoModelValidation
    )


class _NoModelValidation(forms.ModelForm):
    def _post_clean(self):
        # The service validates the whole row (cross-field rules) and names the field.
        pass


class LimitationForm(forms.ModelForm):
    restrictions = forms.MultipleChoiceField(
        label=_("Restrictions"),
        choices=WorkLimitation.Restriction.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WorkLimitation
        fields = ["disability_group", "restrictions", "notes", "valid_until"]
        widgets = {"valid_until": DATE}

    def _post_clean(self):
        pass


class PreferencesForm(forms.ModelForm):
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions where they would work"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Preferences
        fields = ["regions", *services.PREFERENCE_FIELDS]

    def _post_clean(self):
        pass


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    channel = forms.ChoiceField(label=_("How consent was given"), choices=Consent.Channel.choices)


def consent_text(purpose: str) -> str:
    return str(consents.TEXTS[purpose])
