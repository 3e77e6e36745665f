import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waypoint.accounts import services as account_services
from waypoint.accounts.access import public, signed_in
from waypoint.accounts.middleware import SESSION_KEY
from waypoint.web import health
from waypoint.web.forms import ThrottledLoginForm, TotpForm
from waypoint.web.home import sections_for


@public
def login(request: HttpRequest) -> HttpResponse:
    return auth_views.LoginView.as_view(
        template_name="web/login.html",
        authentication_form=ThrottledLoginForm,
        redirect_authenticated_user=True,
    )(request)


@public
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    return auth_views.LogoutView.as_view()(request)


@public
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" when the database takes a write in time; else 503 and why."""
    refused = health.write_refused()
    if refused is not None:
        return HttpResponse(
            f"database refuses writes: no write within {health.wait_ms()} ms: {refused}\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse("ok", content_type="text/plain")


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """Each person's work today, a section per kind of work they may do (web.home)."""
    return render(request, "web/home.html", {"sections": sections_for(request.user)})


@signed_in
def second_factor(request: HttpRequest) -> HttpResponse:
    """Verify a TOTP code; someone without one yet enrols here first."""
    user = request.user
    enrolling = not user.totp_enabled
    if enrolling and (request.method == "GET" or not user.totp_secret):
        uri = account_services.start_totp_enrolment(user)
        request.session["totp_uri"] = uri
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if enrolling:
                account_services.confirm_totp_enrolment(actor=user, code=code)
            elif not account_services.verify_totp(user, code):
                raise ValidationError({"code": [_("the code does not match")]})
        except ValidationError as exc:
            for message in exc.message_dict.get("code", exc.messages):
                form.add_error("code", message)
        else:
            request.session[SESSION_KEY] = True
            request.session.pop("totp_uri", None)
            messages.success(request, _("Second factor confirmed."))
            return redirect("web:home")
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        uri = request.session.get("totp_uri", "")
        context["totp_uri"] = uri
        context["totp_secret"] = user.totp_secret
        context["qr_svg"] = segno.make(uri).svg_inline(scale=4) if uri else ""
    return render(request, "web/second_factor.html", context)
