"""The kinds of generated file: a plain dict filled by the apps in their AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str | Promise
    # Needed to see, retry and download a file of this kind; the job that builds it checks it again.
    permission: str
    # The setting holding how many days a file of this kind is kept after it was asked for.
    keep_days_setting: str = "PORTAL_GENERATED_FILE_DAYS"
    # "export" or "download": how taking the file out of the portal is written to the audit trail.
    audit_action: str = "download"
    # A further check for one file (an export's own permission); a member failing it gets 404.
    may_access: Callable | None = None  # (membership, generated) -> bool
    # Called before the file is sent (the subject-access file is a confidential read of the worker).
    on_download: Callable | None = None  # (request, generated) -> None
    # The audit summary of a download.
    summary: Callable | None = None  # (generated) -> str


FILE_KINDS: dict[str, FileKind] = {}


def register_kind(kind: FileKind) -> FileKind:
    FILE_KINDS[kind.key] = kind
    return kind


def get_kind(key: str) -> FileKind | None:
    return FILE_KINDS.get(key)
