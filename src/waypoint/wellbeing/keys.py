"""Key rotation: reseal every sealed field with the newest key of WAYPOINT_DATA_KEYS, in
batches, in one transaction (a failure leaves every row as it was)."""

from django.db import transaction

from waypoint.audit.services import record_bulk
from waypoint.kit.sealing import reseal
from waypoint.wellbeing.models import CommandNotice, Enrolment, Response, Review

SEALED = {
    Response: ("answers_sealed", "correction_reason_sealed"),
    Review: ("notes_sealed", "plan_sealed"),
    Enrolment: ("notes_sealed",),
    CommandNotice: ("support_sealed",),
}
BATCH = 500


def rotate() -> dict[str, int]:
    counts = {}
    with transaction.atomic():
        for model, fields in SEALED.items():
            done = 0
            rows = model.objects.order_by("pk").values_list("pk", *fields)
            for start in range(0, rows.count(), BATCH):
                for pk, *values in rows[start : start + BATCH]:
                    # QuerySet.update on the base manager: responses refuse updates through
                    # their own manager, and resealing changes no answer.
                    model._base_manager.filter(pk=pk).update(
                        **{
                            field: reseal(value)
                            for field, value in zip(fields, values, strict=True)
                        }
                    )
                    done += 1
            counts[model._meta.model_name] = done
        # Which tables were resealed and how many rows: no value, sealed or plain.
        record_bulk(actor=None, action="wellbeing.keys.rotate", model=Response, counts=counts)
    return counts
