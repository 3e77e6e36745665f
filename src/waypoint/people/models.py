"""The veteran registry: identity, service record, education, experience, limits, consent.

Everything here is personal data, and work limitations are special-category (health) data:
they sit in their own table, behind their own permission, and their audit trail keeps only
which fields changed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from waypoint.kit.folding import fold, identity_key
from waypoint.people.import_models import ImportJob
from waypoint.people.validators import (
    entry_date_problem,
    validate_birth_date,
    validate_e164,
    validate_name,
    validate_specialty_code,
    validate_year,
)


class Veteran(models.Model):
    class Sex(models.TextChoices):
        MALE = "m", _("male")
        FEMALE = "f", _("female")

    class Status(models.TextChoices):
        NEW = "new", _("new: awaiting a coordinator")
        ACTIVE = "active", pgettext_lazy("veteran status", "active")
        IN_TRAINING = "in_training", _("in training")
        EMPLOYED = "employed", _("employed")
        PAUSED = "paused", _("paused")
        CLOSED = "closed", pgettext_lazy("veteran status", "closed")

    class Channel(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator intake")
        PHONE = "phone", _("phone intake (call centre)")
        SELF_SERVICE = "self_service", _("self-registration")
        IMPORT = "import", _("file import")

    last_name = models.CharField(_("last name"), max_length=100, validators=[validate_name])
    first_name = models.CharField(_("first name"), max_length=100, validators=[validate_name])
    patronymic = models.CharField(
        _("patronymic"), max_length=100, blank=True, validators=[validate_name]
    )
    last_name_latin = models.CharField(
        _("last name (Latin)"), max_length=100, blank=True, validators=[validate_name]
    )
    first_name_latin = models.CharField(
        _("first name (Latin)"), max_length=100, blank=True, validators=[validate_name]
    )
    birth_date = models.DateField(_("birth date"), validators=[validate_birth_date])
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    phone = models.CharField(_("phone"), max_length=16, db_index=True, validators=[validate_e164])
    email = models.EmailField(_("e-mail"), blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    driving_licences = models.CharField(
        _("driving-licence categories"),
        max_length=60,
        blank=True,
        help_text=_("Comma-separated, for example B, C, CE."),
    )

    @property
    def licence_categories(self) -> list[str]:
        return [part.strip() for part in self.driving_licences.split(",") if part.strip()]

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
    )
    branch = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("fund branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="veterans",
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("self-service account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="veteran_record",
    )
    intake_channel = models.CharField(_("intake channel"), max_length=12, choices=Channel.choices)
    # The file import that wrote the record; until it is done the record is hidden and may be
    # removed again (waypoint.people.import_jobs).
    import_job = models.ForeignKey(
        ImportJob,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # The day the person entered the programme: the start of every "days to placement" and
    # the line between a job held at entry and a placement. Distinct from created_at, which is
    # when the row was typed in (records are often entered after the first meeting, or imported).
    entered_on = models.DateField(_("entered the programme on"), default=timezone.localdate)
    created_at = models.DateTimeField(_("record created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Kept by save() (and by the importer before bulk_create): see waypoint.kit.folding.
    identity_key = models.CharField(max_length=201, editable=False, default="")
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("veteran")
        verbose_name_plural = _("veterans")
        permissions = [
            ("view_work_limitations", _("Can see health-related work limitations")),
            ("change_work_limitations", _("Can record health-related work limitations")),
            ("manage_consents", _("Can record and withdraw consents")),
            ("import_veterans", _("Can import veterans from files")),
            ("export_veterans", _("Can export lists of veterans")),
            ("assign_coordinator", _("Can assign a veteran's coordinator")),
            ("self_service", _("Can see and update one's own record (veterans)")),
        ]
        indexes = [
            models.Index(fields=["identity_key", "birth_date"], name="veteran_identity_key"),
            models.Index(fields=["region", "status"], name="veteran_region_status"),
            models.Index(fields=["entered_on"], name="veteran_entered_on"),
        ]

    def __str__(self) -> str:
        return self.full_name

    SEARCHED_FIELDS = (
        "last_name",
        "first_name",
        "patronymic",
        "last_name_latin",
        "first_name_latin",
        "email",
    )

    def refresh_search_fields(self) -> None:
        self.identity_key = identity_key(self.last_name, self.first_name)
        self.search_text = fold(" ".join(getattr(self, name) for name in self.SEARCHED_FIELDS))

    def clean(self) -> None:
        if self.entered_on:
            problem = entry_date_problem(self.entered_on, self.birth_date)
            if problem:
                raise ValidationError({"entered_on": problem})

    def save(self, *args, **kwargs) -> None:
        self.refresh_search_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.SEARCHED_FIELDS):
            kwargs["update_fields"] = {*update_fields, "identity_key", "search_text"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def audited_veteran_id(self) -> int:
        return self.pk


class VeteranPart(models.Model):
    """A row that belongs to one veteran's record and is audited against it."""

    veteran = models.ForeignKey(Veteran, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    @property
    def audited_veteran_id(self) -> int:
        return self.veteran_id


class OccupationCoded(models.Model):
    """A free-text specialty or job title, and the taxonomy occupation it stands for.

    `suggested_occupation` is the text matcher's first choice in the active taxonomy, renewed
    when the text or the active taxonomy changes. `occupation` is what a coordinator chose;
    it is kept through every renewal and wins over the suggestion.
    """

    suggested_occupation = models.ForeignKey(
        "taxonomy.Occupation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested occupation"),
    )
    suggestion_score = models.FloatField(_("suggestion score"), null=True, blank=True)
    occupation = models.ForeignKey(
        "taxonomy.Occupation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("occupation set by a coordinator"),
    )
    occupation_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    occupation_set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def coded_occupation(self):
        return self.occupation or self.suggested_occupation

    text_field = ""  # the field holding the free text that names the occupation

    @property
    def occupation_text(self) -> str:
        return getattr(self, self.text_field)


class ServiceRecord(OccupationCoded, VeteranPart):
    text_field = "specialty"

    class Branch(models.TextChoices):
        GROUND = "ground", _("Ground forces")
        AIRBORNE = "airborne", _("Airborne forces")
        NAVY = "navy", _("Navy")
        AEROSPACE = "aerospace", _("Aerospace forces")
        MISSILE = "missile", _("Strategic missile forces")
        SPECIAL = "special", _("Special operations forces")
        NATIONAL_GUARD = "national_guard", _("National guard")
        OTHER = "other", _("Other")

    class Rank(models.TextChoices):
        PRIVATE = "private", _("Private")
        CORPORAL = "corporal", _("Corporal (yefreytor)")
        JUNIOR_SERGEANT = "junior_sergeant", _("Junior sergeant")
        SERGEANT = "sergeant", _("Sergeant")
        SENIOR_SERGEANT = "senior_sergeant", _("Senior sergeant")
        STARSHINA = "starshina", _("Sergeant major (starshina)")
        WARRANT_OFFICER = "warrant_officer", _("Warrant officer (praporshchik)")
        SENIOR_WARRANT_OFFICER = "senior_warrant_officer", _("Senior warrant officer")
        JUNIOR_LIEUTENANT = "junior_lieutenant", _("Junior lieutenant")
        LIEUTENANT = "lieutenant", _("Lieutenant")
        SENIOR_LIEUTENANT = "senior_lieutenant", _("Senior lieutenant")
        CAPTAIN = "captain", _("Captain")
        MAJOR = "major", _("Major")
        LIEUTENANT_COLONEL = "lieutenant_colonel", _("Lieutenant colonel")
        COLONEL = "colonel", _("Colonel")
        GENERAL = "general", _("General officer")

    class DischargeReason(models.TextChoices):
        CONTRACT_END = "contract_end", _("End of contract")
        MOBILISATION_END = "mobilisation_end", _("End of mobilisation")
        CONSCRIPTION_END = "conscription_end", _("End of conscript service")
        HEALTH = "health", _("Health")
        AGE = "age", _("Age limit")
        ORGANISATIONAL = "organisational", _("Organisational changes")
        OTHER = "other", _("Other")

    veteran = models.ForeignKey(Veteran, on_delete=models.CASCADE, related_name="service_records")
    branch = models.CharField(_("branch"), max_length=16, choices=Branch.choices)
    specialty = models.CharField(_("military specialty"), max_length=200)
    specialty_code = models.CharField(
        _("specialty code (VUS)"),
        max_length=12,
        blank=True,
        validators=[validate_specialty_code],
        help_text=_("Military accounting specialty number, digits with an optional letter."),
    )
    rank = models.CharField(_("rank"), max_length=24, choices=Rank.choices)
    start_date = models.DateField(_("service start"))
    end_date = models.DateField(_("service end"), null=True, blank=True)
    deployments = models.TextField(
        _("deployments"), blank=True, help_text=_("One per line: where and when.")
    )
    combat_veteran = models.BooleanField(_("combat-veteran status"), default=False)
    discharge_reason = models.CharField(
        _("discharge reason"), max_length=20, choices=DischargeReason.choices, blank=True
    )

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        default_permissions = ()

    def __str__(self) -> str:
        return self.specialty

    def clean(self) -> None:
        today = timezone.localdate()
        errors = {}
        if self.start_date and self.start_date > today:
            errors["start_date"] = _("service cannot start in the future")
        elif (
            self.start_date
            # The veteran may be unsaved still: an import checks records before writing them.
            and (self.veteran_id or ServiceRecord.veteran.is_cached(self))
            and (self.start_date.year - self.veteran.birth_date.year < 16)
        ):
            errors["start_date"] = _("service cannot start before the age of 16")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("service cannot end before it starts")
        if errors:
            raise ValidationError(errors)


class Education(VeteranPart):
    class Level(models.TextChoices):
        BASIC_GENERAL = "basic_general", _("Basic general (9 grades)")
        SECONDARY_GENERAL = "secondary_general", _("Secondary general (11 grades)")
        VOCATIONAL_WORKER = "vocational_worker", _("Vocational: skilled worker")
        VOCATIONAL_SPECIALIST = "vocational_specialist", _("Vocational: mid-level specialist")
        BACHELOR = "bachelor", _("Higher: bachelor")
        SPECIALIST = "specialist", _("Higher: specialist")
        MASTER = "master", _("Higher: master")
        POSTGRADUATE = "postgraduate", _("Postgraduate")

    veteran = models.ForeignKey(Veteran, on_delete=models.CASCADE, related_name="education")
    level = models.CharField(_("level"), max_length=24, choices=Level.choices)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    field_of_study = models.CharField(_("field of study"), max_length=200, blank=True)
    graduation_year = models.PositiveSmallIntegerField(
        _("graduation year"), null=True, blank=True, validators=[validate_year]
    )

    class Meta:
        ordering = ["-graduation_year", "id"]
        verbose_name = _("education")
        verbose_name_plural = _("education")
        default_permissions = ()

    def __str__(self) -> str:
        return self.get_level_display()


class CivilianJob(OccupationCoded, VeteranPart):
    text_field = "title"

    veteran = models.ForeignKey(Veteran, on_delete=models.CASCADE, related_name="civilian_jobs")
    title = models.CharField(_("job title"), max_length=200)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(_("from (year)"), validators=[validate_year])
    end_year = models.PositiveSmallIntegerField(
        _("to (year)"), null=True, blank=True, validators=[validate_year]
    )
    duties = models.TextField(_("duties"), blank=True)
    # [[skill id, score], …]: what the text matcher read in `duties`, renewed like the
    # suggested occupation.
    duty_skills = models.JSONField(_("skills read in the duties"), default=list, blank=True)

    class Meta:
        ordering = ["-start_year", "id"]
        verbose_name = _("civilian job")
        verbose_name_plural = _("civilian experience")
        default_permissions = ()

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("a job cannot end before it starts")})
        if self.start_year and self.start_year > timezone.localdate().year:
            raise ValidationError({"start_year": _("a job cannot start in the future")})


class DeclaredSkill(VeteranPart):
    class Level(models.TextChoices):
        BASIC = "basic", _("basic")
        INTERMEDIATE = "intermediate", _("intermediate")
        ADVANCED = "advanced", _("advanced")
        EXPERT = "expert", _("expert")

    veteran = models.ForeignKey(Veteran, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(_("skill"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.BASIC)
    suggested_skill = models.ForeignKey(
        "taxonomy.Skill",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taxonomy skill"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        default_permissions = ()

    def __str__(self) -> str:
        return self.name


class LanguageSkill(VeteranPart):
    class Level(models.TextChoices):
        NATIVE = "native", _("native")
        C2 = "C2", "C2"
        C1 = "C1", "C1"
        B2 = "B2", "B2"
        B1 = "B1", "B1"
        A2 = "A2", "A2"
        A1 = "A1", "A1"

    class Language(models.TextChoices):
        RU = "ru", _("Russian")
        EN = "en", _("English")
        DE = "de", _("German")
        FR = "fr", _("French")
        ES = "es", _("Spanish")
        ZH = "zh", _("Chinese")
        AR = "ar", _("Arabic")
        TR = "tr", _("Turkish")
        TT = "tt", _("Tatar")
        BA = "ba", _("Bashkir")
        CE = "ce", _("Chechen")
        UK = "uk", _("Ukrainian")
        BE = "be", _("Belarusian")
        KK = "kk", _("Kazakh")
        UZ = "uz", _("Uzbek")
        HY = "hy", _("Armenian")
        KA = "ka", _("Georgian")
        AZ = "az", _("Azerbaijani")
        OTHER = "other", _("other")

    veteran = models.ForeignKey(Veteran, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    level = models.CharField(_("level"), max_length=6, choices=Level.choices)

    class Meta:
        ordering = ["id"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["veteran", "language"], name="language_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} ({self.level})"


class WorkLimitation(VeteranPart):
    """Health-related limits on work. Special-category data: see the module docstring."""

    class DisabilityGroup(models.TextChoices):
        NONE = "none", _("no disability group")
        GROUP_1 = "1", _("group I")
        GROUP_2 = "2", _("group II")
        GROUP_3 = "3", _("group III")

    class Restriction(models.TextChoices):
        NO_HEAVY_LIFTING = "no_heavy_lifting", _("no heavy lifting")
        NO_NIGHT_SHIFTS = "no_night_shifts", _("no night shifts")
        NO_WORK_AT_HEIGHT = "no_work_at_height", _("no work at height")
        NO_PROLONGED_STANDING = "no_prolonged_standing", _("no prolonged standing or walking")
        NO_DRIVING = "no_driving", _("no driving")
        NO_NOISE_VIBRATION = "no_noise_vibration", _("no noise or vibration")
        LIMITED_HEARING = "limited_hearing", _("limited hearing")
        LIMITED_VISION = "limited_vision", _("limited vision")
        ACCESSIBLE_WORKPLACE = "accessible_workplace", _("needs an accessible workplace")
        REDUCED_HOURS = "reduced_hours", _("reduced working hours")

    veteran = models.OneToOneField(
        Veteran, on_delete=models.CASCADE, related_name="work_limitation"
    )
    disability_group = models.CharField(
        _("disability group"),
        max_length=4,
        choices=DisabilityGroup.choices,
        default=DisabilityGroup.NONE,
    )
    restrictions = models.JSONField(_("restrictions"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("work limitation")
        verbose_name_plural = _("work limitations")
        default_permissions = ()

    def __str__(self) -> str:
        return str(_("work limitation"))

    def clean(self) -> None:
        known = set(self.Restriction.values)
        if not isinstance(self.restrictions, list) or not all(
            isinstance(code, str) for code in self.restrictions
        ):
            raise ValidationError({"restrictions": _("restrictions must be a list of codes")})
        unknown = [code for code in self.restrictions if code not in known]
        if unknown:
            raise ValidationError(
                {
                    "restrictions": _("unknown restriction %(code)s (known: %(known)s)")
                    % {"code": unknown[0], "known": ", ".join(sorted(known))}
                }
            )

    def restriction_labels(self) -> list[str]:
        labels = dict(self.Restriction.choices)
        return [str(labels.get(code, code)) for code in self.restrictions]


class Preferences(VeteranPart):
    class RemoteWork(models.TextChoices):
        NO = "no", _("on-site only")
        HYBRID = "hybrid", _("hybrid is fine")
        PREFERRED = "preferred", _("remote preferred")
        ONLY = "only", _("remote only")

    veteran = models.OneToOneField(Veteran, on_delete=models.CASCADE, related_name="preferences")
    regions = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("regions where they would work"),
        blank=True,
        related_name="+",
    )
    willing_to_relocate = models.BooleanField(_("willing to relocate"), default=False)
    remote_work = models.CharField(
        _("remote work"), max_length=10, choices=RemoteWork.choices, default=RemoteWork.HYBRID
    )
    desired_occupations = models.TextField(
        _("desired occupations"), blank=True, help_text=_("One per line.")
    )
    expected_salary = models.PositiveIntegerField(
        _("expected monthly salary, RUB"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")
        default_permissions = ()

    def __str__(self) -> str:
        return str(_("preferences"))


class Consent(VeteranPart):
    """One grant of consent for one purpose; withdrawing stamps it, never erases it."""

    class Purpose(models.TextChoices):
        PERSONAL_DATA = "personal_data", _("Processing of personal data in the registry")
        HEALTH_DATA = "health_data", _("Processing of health data (work limitations)")
        SHARE_EMPLOYERS = "share_employers", _("Sharing the profile with employers")
        SHARE_TRAINING = "share_training", _("Sharing the profile with training providers")
        CONTACT = "contact", _("Contact by phone, SMS and e-mail about offers")
        WELLBEING = "wellbeing", _("Voluntary psychological well-being screening")

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("in person, signed")
        PHONE = "phone", _("by phone, recorded call")
        SELF_SERVICE = "self_service", _("online, self-service")
        PAPER = "paper", _("paper form")

    veteran = models.ForeignKey(Veteran, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    text_version = models.CharField(_("text version"), max_length=20)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["veteran", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return self.get_purpose_display()

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
