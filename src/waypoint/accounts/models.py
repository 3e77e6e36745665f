from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        DEFENCE_UNIT = "defence_unit", _("Defence ministry unit")
        FUND_BRANCH = "fund_branch", _("Veterans' support fund branch")
        EMPLOYMENT_CENTRE = "employment_centre", _("Labour ministry / regional employment centre")
        TRAINING_PROVIDER = "training_provider", _("Training provider")
        EMPLOYER = "employer", _("Employer")
        CLINIC = "clinic", _("Clinic")
        CALL_CENTRE = "call_centre", _("Call centre")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["name", "region"], name="organisation_name_region")
        ]

    def __str__(self) -> str:
        return self.name


# Permissions that stand for a relation to people (their care team, their command, the audit
# of who read their health records), never for administrative power: no superuser flag
# implies them; only a role grants them.
RELATION_PERMISSIONS = frozenset(
    {
        "wellbeing.provide_care",
        "wellbeing.keep_clinical_records",
        "wellbeing.receive_command_notices",
        "audit.view_clinical_events",
    }
)

# What reaches health data (special-category data under 152-FZ and GDPR): nobody grants these
# to themselves (accounts.access.health_access_gained).
HEALTH_PERMISSIONS = RELATION_PERMISSIONS | {
    "people.view_work_limitations",
    "people.change_work_limitations",
}


class User(AbstractUser):
    """A person who signs in: agency staff (with an organisation) or a veteran (without)."""

    class Scope(models.TextChoices):
        CASELOAD = "caseload", _("Own caseload")
        ORGANISATION = "organisation", _("Organisation")
        REGION = "region", _("Region")
        ALL = "all", _("All")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    scope = models.CharField(
        _("scope"),
        max_length=12,
        choices=Scope.choices,
        default=Scope.CASELOAD,
        help_text=_("Which veterans' records this person may see, within their permissions."),
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("supervisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team",
    )
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_enabled = models.BooleanField(_("second factor enabled"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_perm(self, perm: str, obj=None) -> bool:
        if self.is_superuser and perm in RELATION_PERMISSIONS:
            return False
        return super().has_perm(perm, obj)

    @property
    def is_agency_staff(self) -> bool:
        return self.organisation_id is not None

    @property
    def effective_scope(self) -> str:
        return self.Scope.ALL if self.is_superuser else self.scope

    @property
    def region_code(self) -> str | None:
        return self.organisation.region_id if self.organisation_id else None


class LoginFailure(models.Model):
    """A failed sign-in, kept to throttle guessing; old rows are pruned on every failure."""

    username = models.CharField(max_length=150, db_index=True)
    client_address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["client_address", "at"], name="loginfailure_address_at")]


class ApiToken(models.Model):
    """A bearer token for another agency's system; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
