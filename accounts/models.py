"""People: a user signs in with an email address."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.header_values import validate_header_value


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # Sign-in finds the account whatever the case typed: addresses are stored in lower case.
        return self.get(**{self.model.USERNAME_FIELD: (username or "").strip().lower()})

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person using the portal: LEA staff, CCEE reviewer or lead, administrative agent staff."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, validators=[validate_header_value])
    job_title = models.CharField(
        _("title"), max_length=150, blank=True, validators=[validate_header_value]
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # Demo accounts have published passwords: they can sign in only while DEBUG is on.
    is_demo = models.BooleanField(default=False, editable=False)
    # When the person's authenticator (TOTP) was confirmed; None while they have none. A session
    # passed the second factor for this enrolment only (accounts/mfa.py), so a reset or a new
    # enrolment ends the second factor of every session at once.
    mfa_enrolled_at = models.DateTimeField(
        _("two-step sign-in since"), null=True, blank=True, editable=False
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        permissions = [("reset_mfa", "Can reset a person's two-step sign-in")]

    def __str__(self):
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def mfa_required(self) -> bool:
        """Staff (reviewers, leads, agents) and superusers pass a second factor before working."""
        return self.is_staff or self.is_superuser

    @property
    def email_domain(self) -> str:
        return self.email.rsplit("@", 1)[-1].lower()
