from ninja.security import HttpBearer

from waypoint.accounts.services import user_for_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer wp_...` for other agencies' systems (`waypoint create-api-token`)."""

    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user
