"""What the state's data says about LEAs, stored as imported (keyed by 14-digit CDS code).

Keyed by CDS code rather than by a link to the LEA directory, which belongs to requests_intake:
eligibility imports no other project package.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

cds_code_validator = RegexValidator(r"^\d{14}$", "A CDS code is 14 digits.")


class AssistanceStatusRecord(models.Model):
    """One LEA's row of CDE's LCFF Assistance Status file for one reporting year."""

    cds_code = models.CharField("CDS code", max_length=14, validators=[cds_code_validator])
    reporting_year = models.PositiveSmallIntegerField(db_index=True)
    lea_name = models.CharField("LEA name", max_length=200)
    county_name = models.CharField(max_length=60, blank=True)
    # {subgroup code: [LCFF priority areas in which it met the criteria]}, for the subgroups the
    # LEA has a result for that year (see eligibility.assistance_status).
    subgroups = models.JSONField(default=dict)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "LCFF assistance status record"
        ordering = ["cds_code", "reporting_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["cds_code", "reporting_year"], name="one_assistance_status_per_lea_year"
            ),
            models.CheckConstraint(
                condition=Q(cds_code__regex=r"^\d{14}$"), name="assistance_status_cds_14_digits"
            ),
        ]

    def __str__(self):
        return f"{self.lea_name} ({self.cds_code}), {self.reporting_year}"
