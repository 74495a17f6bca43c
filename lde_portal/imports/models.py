from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ImportRun(models.Model):
    """One pass of an uploaded file through the sheets: a dry run or the import itself (docs/imports.md).

    Kept as the import history: the result page and the undo come from here. The uploaded file is a generated
    file of kind "imports.file" (lde_portal/files), private and kept PORTAL_IMPORT_FILE_DAYS for the
    confirmation, the mapping step and the error file; when the nightly cleanup has deleted it, `upload` is
    empty and the result page stays.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey("accounts.Membership", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    upload = models.ForeignKey("files.GeneratedFile", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    filename = models.CharField(max_length=200)
    kind = models.CharField(max_length=4)  # xlsx | csv
    sha256 = models.CharField(max_length=64)
    sheet = models.CharField(max_length=60, blank=True)  # a CSV's sheet, when the user chose it
    only_sheet = models.CharField(max_length=60, blank=True)  # a workbook narrowed to one of its sheets
    mapping = models.JSONField(default=dict, blank=True)  # {sheet key: {folded header: column key or ""}}
    dry_run = models.BooleanField(default=True)
    skip_invalid = models.BooleanField(default=False)
    source = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    error = models.CharField(max_length=500, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    # Whether the run wrote anything: an all-or-nothing import with a refused row writes nothing.
    committed = models.BooleanField(default=False)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey("accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "created_at"])]

    def __str__(self):
        return self.filename

    @property
    def finished(self):
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def percent(self):
        if self.status == RunStatus.DONE:
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0

    @property
    def refused(self):
        return sum(s.get("refused", 0) for s in (self.result.get("sheets") or {}).values())


class ImportedRecord(models.Model):
    """A record an import brought into the portal, with a marker of its state when the import ended: the undo
    deletes it only while the marker still matches (nobody edited it since)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="records")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    marker = models.CharField(max_length=64)
    # Made by the row itself (Outcome.created), not by a service along with it (a status line, a phase).
    direct = models.BooleanField(default=True)
    sheet = models.CharField(max_length=60, blank=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id}"


class ImportMapping(models.Model):
    """An organisation's saved answer of the mapping step: this header of this sheet is that column."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    sheet = models.CharField(max_length=60)
    header = models.CharField(max_length=200)  # folded (mapping.fold)
    column = models.CharField(max_length=60, blank=True)  # "" = leave the column out

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "sheet", "header"],
                                               name="import_mapping_unique_header")]

    def __str__(self):
        return f"{self.sheet}: {self.header} → {self.column or '-'}"
