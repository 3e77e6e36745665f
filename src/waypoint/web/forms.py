from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.services import client_address, login_locked


class ThrottledLoginForm(AuthenticationForm):
    """Refuses to even try a password once a name or address has failed too often."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed sign-in attempts. Wait %(minutes)s minutes and try again."),
    }

    def clean(self):
        from django.conf import settings

        username = self.cleaned_data.get("username", "")
        if username and login_locked(username, client_address(self.request)):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.WAYPOINT_LOGIN_LOCKOUT_MINUTES},
            )
        return super().clean()


class TotpForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
