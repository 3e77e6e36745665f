from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from waypoint.accounts import services


@receiver(user_login_failed, dispatch_uid="waypoint-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    services.record_login_failure(credentials.get("username", ""), services.client_address(request))


@receiver(user_logged_in, dispatch_uid="waypoint-logged-in")
def on_logged_in(sender, request, user, **kwargs) -> None:
    services.clear_login_failures(user.get_username())
