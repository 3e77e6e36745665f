from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from waypoint.kit.api import Id, Schema, patch_of
from waypoint.kit.numbers import MAX_INTEGER, MAX_SMALLINT
from waypoint.people.models import (
    Consent,
    DeclaredSkill,
    Education,
    LanguageSkill,
    Preferences,
    ServiceRecord,
    Veteran,
    WorkLimitation,
)

# A year as the column holds it; the model's validator gives the years a record may have.
Year = Annotated[int, Field(ge=0, le=MAX_SMALLINT)]


def _choices(choices) -> type:
    return Literal[tuple(value for value, _label in choices)]  # type: ignore[misc]


Sex = _choices(Veteran.Sex.choices)
Status = _choices(Veteran.Status.choices)
Purpose = _choices(Consent.Purpose.choices)
Channel = _choices(Consent.Channel.choices)


class VeteranItem(Schema):
    id: int
    last_name: str
    first_name: str
    patronymic: str
    last_name_latin: str
    first_name_latin: str
    birth_date: date
    sex: str
    phone: str
    email: str
    region: str = Field(validation_alias="region_id")
    status: str
    coordinator_id: int | None
    entered_on: date
    created_at: datetime


class ServiceRecordIn(Schema):
    branch: _choices(ServiceRecord.Branch.choices)
    specialty: str
    specialty_code: str = ""
    rank: _choices(ServiceRecord.Rank.choices)
    start_date: date
    end_date: date | None = None
    deployments: str = ""
    combat_veteran: bool = False
    discharge_reason: _choices(ServiceRecord.DischargeReason.choices) | Literal[""] = ""


class OccupationCoding(Schema):
    suggested_occupation_id: int | None
    suggestion_score: float | None
    occupation_id: int | None = Field(description="set by a coordinator; wins over the suggestion")
    occupation_set_by_id: int | None
    occupation_set_at: datetime | None


class OccupationChoice(Schema):
    occupation_id: Id | None = Field(description="null returns to the model's suggestion")


class ServiceRecordOut(ServiceRecordIn, OccupationCoding):
    id: int


class EducationIn(Schema):
    level: _choices(Education.Level.choices)
    institution: str = ""
    field_of_study: str = ""
    graduation_year: Year | None = None


class EducationOut(EducationIn):
    id: int


class CivilianJobIn(Schema):
    title: str
    employer: str = ""
    start_year: Year
    end_year: Year | None = None
    duties: str = ""


class CivilianJobOut(CivilianJobIn, OccupationCoding):
    id: int


class DeclaredSkillIn(Schema):
    name: str
    level: _choices(DeclaredSkill.Level.choices) = "basic"


class DeclaredSkillOut(DeclaredSkillIn):
    id: int
    confirmed_by_id: int | None
    confirmed_at: datetime | None


class LanguageIn(Schema):
    language: _choices(LanguageSkill.Language.choices)
    level: _choices(LanguageSkill.Level.choices)


class LanguageOut(LanguageIn):
    id: int


class WorkLimitationIn(Schema):
    disability_group: _choices(WorkLimitation.DisabilityGroup.choices) = "none"
    restrictions: list[_choices(WorkLimitation.Restriction.choices)] = []
    notes: str = ""
    valid_until: date | None = None


class WorkLimitationOut(WorkLimitationIn):
    updated_at: datetime


class PreferencesIn(Schema):
    regions: list[str] = []
    willing_to_relocate: bool = False
    remote_work: _choices(Preferences.RemoteWork.choices) = "hybrid"
    desired_occupations: str = ""
    expected_salary: int | None = Field(default=None, ge=0, le=MAX_INTEGER)


class PreferencesOut(PreferencesIn):
    pass


class ConsentIn(Schema):
    purpose: Purpose
    channel: Channel
    text_version: str | None = Field(None, max_length=20, description="the current one if left out")


class ConsentOut(Schema):
    id: int
    purpose: str
    text_version: str
    channel: str
    given_at: datetime
    withdrawn_at: datetime | None
    recorded_by_id: int


class ConsentGivenIn(Schema):
    purpose: Purpose
    channel: Channel


class VeteranIdentity(Schema):
    last_name: str
    first_name: str
    patronymic: str = ""
    last_name_latin: str = ""
    first_name_latin: str = ""
    birth_date: date
    sex: Sex
    phone: str
    email: str = ""
    region: str
    address: str = ""
    driving_licences: str = ""
    entered_on: date | None = Field(
        None,
        description="the day the person entered the programme (today if left out); not in "
        "the future, not before their 16th birthday",
    )


class VeteranCreate(VeteranIdentity):
    consents: list[ConsentGivenIn]
    confirm_not_duplicate: bool = False


class VeteranChange(VeteranIdentity):
    status: Status


VeteranPatch = patch_of(VeteranChange, name="VeteranPatch")


class VeteranDetail(VeteranItem):
    address: str
    driving_licences: str
    branch_id: int | None
    intake_channel: str
    service_records: list[ServiceRecordOut]
    education: list[EducationOut]
    civilian_jobs: list[CivilianJobOut]
    skills: list[DeclaredSkillOut]
    languages: list[LanguageOut]
    preferences: PreferencesOut | None
    consents: list[ConsentOut] = Field(description="consents in force")
    work_limitation: WorkLimitationOut | None = Field(
        description="null when absent or when the caller may not see health data"
    )


class CoordinatorIn(Schema):
    coordinator_id: Id | None


class DuplicatesOut(Schema):
    visible: list[int]
    hidden: int


class DuplicateConflict(Schema):
    detail: str
    duplicates: list[int]
    hidden_duplicates: int


# Each kind of section: what is added, what is changed (PATCH) and what is answered.
PART_SCHEMAS = {
    kind: (schema_in, patch_of(schema_in, name=f"{schema_in.__name__}Patch"), schema_out)
    for kind, schema_in, schema_out in (
        ("service", ServiceRecordIn, ServiceRecordOut),
        ("education", EducationIn, EducationOut),
        ("job", CivilianJobIn, CivilianJobOut),
        ("skill", DeclaredSkillIn, DeclaredSkillOut),
        ("language", LanguageIn, LanguageOut),
    )
}
