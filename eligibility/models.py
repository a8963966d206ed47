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


class EmergencyApportionment(models.Model):
    """An emergency apportionment (EC 41320) as CDE lists it on its web page; kept by hand.

    The list is short and published as a page, not a file, so an administrator maintains it
    here; it verifies the (g)(2)(A) fact of a request as the assistance status file does 52072(a).
    """

    class Status(models.TextChoices):
        AUTHORIZED = "authorized", "Authorized, not yet received"
        RECEIVED = "received", "Received"
        REPAID = "repaid", "Received and repaid"

    # The statuses in which the district has received the apportionment (EC 52074(g)(2)(A)).
    RECEIVED_STATUSES = (Status.RECEIVED, Status.REPAID)

    cds_code = models.CharField("CDS code", max_length=14, validators=[cds_code_validator])
    lea_name = models.CharField("LEA name", max_length=200)
    apportionment_date = models.DateField("date")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    status = models.CharField(max_length=12, choices=Status.choices)
    source_url = models.URLField("source link", max_length=500)

    class Meta:
        ordering = ["-apportionment_date", "lea_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cds_code__regex=r"^\d{14}$"),
                name="emergency_apportionment_cds_14_digits",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["authorized", "received", "repaid"]),
                name="emergency_apportionment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="emergency_apportionment_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.lea_name} ({self.cds_code}), {self.apportionment_date:%Y-%m-%d}"
