"""The directory's schools: which ones a request of an LEA may name, and storing an import."""

from django.db import transaction

from .models import LeaType, School

SCHOOL_FIELDS = ("name", "district_cds_code", "county", "city", "status", "is_charter")


def schools_of(lea):
    """Return the directory's schools of an LEA: a district's or county office's schools under
    its district code; a charter school's, itself."""
    if lea.lea_type == LeaType.CHARTER_SCHOOL:
        return School.objects.filter(cds_code=lea.cds_code)
    return School.objects.filter(district_cds_code=lea.cds_code)


def school_codes_of(lea) -> set[str]:
    """Return the CDS codes of the schools a request of `lea` may name."""
    return set(schools_of(lea).values_list("cds_code", flat=True))


@transaction.atomic
def schools_store(parsed: dict[str, dict]) -> tuple[int, int, int]:
    """Create or update the schools an import read; return (created, updated, unchanged)."""
    existing = {s.cds_code: s for s in School.objects.filter(cds_code__in=parsed.keys())}
    to_create, to_update, unchanged = [], [], 0
    for cds, values in parsed.items():
        school = existing.get(cds)
        if school is None:
            to_create.append(School(cds_code=cds, **values))
        elif any(getattr(school, name) != values[name] for name in SCHOOL_FIELDS):
            for name in SCHOOL_FIELDS:
                setattr(school, name, values[name])
            to_update.append(school)
        else:
            unchanged += 1
    School.objects.bulk_create(to_create, batch_size=1000)
    School.objects.bulk_update(to_update, SCHOOL_FIELDS, batch_size=1000)
    return len(to_create), len(to_update), unchanged
