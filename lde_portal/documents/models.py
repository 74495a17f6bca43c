from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lde_portal import uploads


class DocumentSettings(models.Model):
    """Per organisation: the number prefix and an optional fixed signatory for every document.

    Without a signatory name the issuing user signs (their name and role in the organisation)."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE,
                                        related_name="document_settings")
    number_prefix = models.CharField(
        _("number prefix"), max_length=12, blank=True,
        help_text=_("Capital letters and digits, e.g. STROOM. Empty: the organisation's short name."))
    signatory_name = models.CharField(_("signatory name"), max_length=150, blank=True,
                                      help_text=_("Empty: the person who issues the document signs."))
    signatory_role = models.CharField(_("signatory role"), max_length=150, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")

    def __str__(self):
        return str(self.organisation)


class DocumentCounter(models.Model):
    """The last number issued per organisation and year; locked with select_for_update while issuing."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="document_counter_unique")]

    def __str__(self):
        return f"{self.organisation_id}/{self.year}: {self.last}"


class IssuedDocument(models.Model):
    """An issued document: immutable PDF, its hash and number; only the revocation fields ever change.

    The worker is referenced by a plain integer with a snapshot of name and initials, not a foreign key:
    the platform never imports (or migrates against) the domain apps, and an issued document is a record
    that must stay verifiable with what was printed on it even after the worker's data change or are
    erased (like the audit trail)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker_id = models.BigIntegerField(db_index=True)
    worker_name = models.CharField(max_length=201)
    worker_initials = models.CharField(max_length=10)
    kind = models.CharField(max_length=60)
    kind_label = models.CharField(max_length=150)
    number = models.CharField(max_length=40, unique=True)
    year = models.PositiveIntegerField()
    sequence = models.PositiveIntegerField()
    check_code = models.CharField(max_length=6)
    token = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=8)
    file = uploads.private_file_field("documents")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    # The batch (a generated file of kind "documents.batch") it was issued in; the batch's ZIP expires,
    # the document stays.
    batch = models.ForeignKey("files.GeneratedFile", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="documents")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    revocation_reason = models.CharField(max_length=500, blank=True)
    # A wrong attestation is not corrected in place (the PDF is immutable): it is revoked and a corrected
    # one is issued under a new number, which the check page names for the old one.
    replaced_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="replaces")

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "sequence"], name="document_sequence_unique"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""), name="document_revocation_reason"
            ),
            models.CheckConstraint(condition=Q(replaced_by__isnull=True) | Q(revoked_at__isnull=False),
                                   name="document_replaced_only_when_revoked"),
        ]
        indexes = [models.Index(fields=["organisation", "worker_id", "-issued_at"])]

    def __str__(self):
        return self.number

    # After issuing, only the revocation (and its replacement) may be recorded: the stored PDF, its hash and
    # number never change.
    MUTABLE_FIELDS = frozenset({"revoked_at", "revoked_by", "revocation_reason", "replaced_by"})

    def save(self, *args, **kwargs):
        if not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= self.MUTABLE_FIELDS:
                raise ValueError("An issued document is immutable: only its revocation can be saved")
        super().save(*args, **kwargs)

    @property
    def revoked(self):
        return self.revoked_at is not None
