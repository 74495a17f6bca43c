"""lde_portal/concurrency.py: a form that posts no version, or a garbled one, is refused like a stale one, so two
people saving the same record never silently overwrite each other (the views' own tests show the messages)."""

import pathlib
from types import SimpleNamespace

import pytest
from django import forms

from lde_portal.concurrency import NOT_POSTED, ConflictError, VersionField, check_version
from tests.forms_walk import portal_form_classes

ROOT = pathlib.Path(__file__).resolve().parent.parent
STORED = 3


@pytest.mark.parametrize(("posted", "cleaned"), [
    (None, NOT_POSTED),          # the field is not in the POST at all
    ("", NOT_POSTED),
    ("   ", NOT_POSTED),
    ("abc", NOT_POSTED),
    ("2.0", NOT_POSTED),
    ("-1", NOT_POSTED),
    ("1_0", NOT_POSTED),
    ("٣", NOT_POSTED),           # a digit, but not one a form of ours ever renders
    ("3", 3),
    (" 3 ", 3),
    ("0", 0),
])
def test_version_field_never_fails_and_marks_what_is_not_a_version(posted, cleaned):
    class Form(forms.Form):
        version = VersionField()

    form = Form({} if posted is None else {"version": posted})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["version"] == cleaned


@pytest.mark.parametrize(("expected", "refused"), [
    (NOT_POSTED, True),          # missing or garbled in the form
    ("abc", True),
    (STORED - 1, True),          # stale
    (STORED + 1, True),
    (STORED, False),             # current
    (str(STORED), False),
    (None, False),               # code acting on its own (demo data, tasks, one service calling another)
])
def test_check_version(expected, refused):
    record = SimpleNamespace(version=STORED)
    if refused:
        with pytest.raises(ConflictError) as exc:
            check_version(record, expected)
        assert exc.value.current is record
    else:
        check_version(record, expected)


def test_every_edit_form_carries_its_version_in_a_version_field():
    """An IntegerField(required=False) would clean a missing version to None, which skips the check."""
    classes = list(portal_form_classes())
    assert len(classes) > 20
    wrong = [f"{cls.__module__}.{cls.__name__}" for cls in classes
             if "version" in cls.base_fields and not isinstance(cls.base_fields["version"], VersionField)]
    assert not wrong, "Use lde_portal.concurrency.VersionField for:\n" + "\n".join(wrong)


PORTAL_PACKAGES = {"lde_portal", "trajects", "pop", "indication", "inflow", "throughflow"}

# Forms without a version, each with the reason a version means nothing there. Every other form of the portal
# edits or may edit a stored shared record, and must carry lde_portal.concurrency.VersionField: a form added
# later fails the test below until it has one or is listed here with its reason.
NO_VERSION = {
    # Filters, searches and look-ups: they read, they save nothing.
    "lde_portal.alerts.forms.AlertFilterForm": "filters the alert list",
    "lde_portal.audit.forms.TrailFilterForm": "filters the audit trail",
    "lde_portal.documents.forms.VerifyForm": "looks an attestation up on the public check page",
    "lde_portal.reports.forms.DashboardForm": "chooses the dashboard's period",
    "lde_portal.reports.forms.ExportForm": "chooses what an export contains",
    "pop.forms.TrainingFilterForm": "filters the training list",
    "throughflow.forms.ExitListForm": "filters the exit list",
    "trajects.forms.WorkerFilterForm": "filters the worker list",
    "trajects.trajectory_forms.TrajectoryEndsFilterForm": "filters the trajectory ends",
    # Signing in: no record is edited.
    "lde_portal.accounts.forms.EmailAuthenticationForm": "the login form",
    "lde_portal.accounts.twofactor.TokenForm": "the second-factor code",
    "lde_portal.accounts.twofactor.RecoveryCodeForm": "a one-time recovery code, used up by the check itself",
    # Creates: a new record has no earlier save to be stale against; where one per worker is allowed, the
    # service refuses the second (an exit, an open trajectory, an open track, an open erasure request).
    "indication.forms.NeedsAssessmentForm": "each assessment is a new dated record; earlier ones stay as they were",
    "lde_portal.accounts.forms.InviteForm": "invites a new member",
    "lde_portal.imports.forms.UploadForm": "uploads a file for a new import run",
    "lde_portal.imports.forms.MappingForm": "answers the columns of the member's own run, before anything is imported",
    "lde_portal.imports.forms.ConfirmForm": "starts a new import run; a second one matches every row on its natural "
                                            "key and duplicates nothing",
    "lde_portal.documents.forms.BaseIssueForm": "issues a new numbered attestation",
    "lde_portal.documents.forms.BatchForm": "issues new attestations",
    "lde_portal.privacy.forms.ErasureRequestForm": "asks for an erasure; a second open request is refused",
    "inflow.forms.ApplyForm": "adds an application; a second one to the same vacancy is refused",
    "inflow.forms.SessionForm": "plans a new information session",
    "inflow.forms.RoundForm": "records a new selection round; earlier rounds stay as they were",
    "pop.documents.CompetenceBatchForm": "issues new attestations",
    "pop.documents.CompetenceForm": "issues a new attestation",
    "pop.documents.PrintoutForm": "issues a new printout",
    "pop.documents.TrainingBatchForm": "issues new attestations",
    "pop.documents.TrainingForm": "issues a new attestation",
    "lde_portal.documents.forms.RecordChoiceForm": "the choice of record behind the forms that issue a new attestation",
    "pop.documents._TrainingChoice": "the training choice behind the forms that issue a new attestation",
    "pop.forms.CompetenceForm": "adds a competence to the catalogue (there is no edit)",
    "throughflow.documents.HandoverForm": "issues a new handover summary",
    "throughflow.forms.ConsentForm": "records a new consent",
    "throughflow.forms.ExitForm": "records the exit; a second one is refused",
    "throughflow.forms.TrackForm": "opens a track; a second open one is refused",
    "trajects.documents.ExperienceBatchForm": "issues new attestations",
    "trajects.documents.ExperienceForm": "issues a new attestation",
    "trajects.documents.ReferenceForm": "issues a new reference letter",
    "trajects.forms.AssignmentForm": "assigns a coach (a new assignment)",
    "trajects.forms.EmploymentFieldsForm": "the contract's fields; EmploymentForm adds the version to edit one",
    "trajects.forms.OptionalEmploymentForm": "the first contract on the registration screen (a new record)",
    "trajects.trajectory_forms.TrajectoryStartForm": "starts a trajectory; a second open one is refused",
    # Append-only entries: each save adds a row and overwrites none.
    "throughflow.forms.HoursForm": "logs coaching hours",
    "trajects.forms.StatusForm": "adds a status change (dated, never before the last one; bumps the worker's version)",
    "trajects.trajectory_forms.SineForm": "adds a SINE status period",
    # Rows of a versioned form: the parent form's version covers them.
    "pop.forms.ActionForm": "a row of the POP form (PopForm carries the plan's version)",
    "pop.forms.PopCompetenceForm": "a row of the POP form (PopForm carries the plan's version)",
    # One step of a state change, guarded otherwise: the service refuses it on the locked row once someone
    # else took the step (tests/*: "the second is refused").
    "lde_portal.accounts.forms.RoleForm": "posts the role it showed; refused if another admin changed it",
    "lde_portal.alerts.forms.SnoozeForm": "posts the snooze it showed; refused if someone else snoozed meanwhile",
    "lde_portal.documents.forms.RevokeForm": "revoking twice is refused",
    "lde_portal.privacy.forms.ErasureDecisionForm": "deciding a request twice is refused",
    "throughflow.forms.WithdrawConsentForm": "withdrawing twice is refused",
    "trajects.forms.EndAssignmentForm": "offered for open assignments; ending one someone else ended is refused",
    # The person's own settings, shared with nobody.
    "lde_portal.alerts.forms.PreferenceForm": "the member's own e-mail digest choice",
}


def _portal_forms():
    """Every form class of the running portal, wherever it is defined (forms.py, documents.py, twofactor.py):
    the URLconf imports every view, and the views and the document registry import every form."""
    import lde_portal.urls  # noqa: F401

    seen, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return {f"{cls.__module__}.{cls.__qualname__}": cls for cls in seen
            if cls.__module__.split(".")[0] in PORTAL_PACKAGES}


def test_every_form_that_edits_a_shared_record_carries_a_version():
    """Two people saving the same record must never silently overwrite each other (lde_portal/concurrency.py):
    a form without a VersionField is allowed only with its reason in NO_VERSION."""
    portal = _portal_forms()
    assert len(portal) > 60
    missing = [name for name, cls in sorted(portal.items())
               if not isinstance(cls.base_fields.get("version"), VersionField) and name not in NO_VERSION]
    assert not missing, ("These forms have no VersionField: add one (the service checks it, the view shows the "
                         "conflict), or list them in NO_VERSION with the reason a version means nothing:\n"
                         + "\n".join(missing))


def test_the_allow_list_names_only_existing_forms_without_a_version():
    portal = _portal_forms()
    stale = [name for name in NO_VERSION
             if name not in portal or isinstance(portal[name].base_fields.get("version"), VersionField)]
    assert not stale, "Remove from NO_VERSION (gone, or versioned now):\n" + "\n".join(stale)


# --------------------------------------------------------------------------- submit, the body of a form view


class _Form(forms.Form):
    version = VersionField()
    name = forms.CharField()
    upload = forms.CharField(required=False)
    service_field_names = {"stored_file": "upload"}


def _raising(error):
    def call():
        raise error

    return call


def _post(rf, data):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.post("/", data)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_submit_puts_a_services_refusal_on_the_fields_it_names(rf):
    from django.core.exceptions import ValidationError

    from lde_portal.concurrency import submit

    form = _Form({"version": "3", "name": "x"})
    refuse = _raising(ValidationError({"name": "Too short.", "stored_file": "Not a PDF.", "elsewhere": "Across fields."}))
    post = submit(_post(rf, {}), form, refuse, saved="Saved.")
    assert not post and post.conflicts is None
    assert form.errors == {"name": ["Too short."], "upload": ["Not a PDF."], "__all__": ["Across fields."]}


def test_submit_answers_a_stale_version_with_the_stored_one_and_keeps_what_was_typed(rf):
    from lde_portal.concurrency import submit

    form = _Form({"version": "3", "name": "typed"})
    stored = SimpleNamespace(version=STORED + 1, name="theirs", upload="")
    post = submit(_post(rf, {}), form, _raising(ConflictError(stored)), saved="Saved.", conflict="Someone else saved.")
    assert not post
    assert post.conflicts == [{"name": "name", "label": None, "stored": "theirs", "yours": "typed"}]
    assert form.data["version"] == STORED + 1 and form.data["name"] == "typed"
    assert form.non_field_errors() == ["Someone else saved."]


def test_submit_without_offering_the_stored_version_keeps_the_form_as_opened(rf):
    from lde_portal.concurrency import submit

    form = _Form({"version": "3", "name": "typed"})
    post = submit(_post(rf, {}), form, _raising(ConflictError(SimpleNamespace(version=9))),
                  saved="Saved.", conflict="Reload the page.", offer_current=False)
    assert not post and post.conflicts is None and form.data["version"] == "3"


def test_a_conflict_the_view_does_not_expect_is_not_swallowed(rf):
    from lde_portal.concurrency import submit

    form = _Form({"version": "3", "name": "typed"})
    with pytest.raises(ConflictError):
        submit(_post(rf, {}), form, _raising(ConflictError(None)), saved="Saved.")


def test_submit_saves_only_a_valid_post_and_leaves_the_message(rf):
    from django.contrib.messages import get_messages

    from lde_portal.concurrency import submit

    calls = []
    assert not submit(rf.get("/"), _Form(), lambda: calls.append(1), saved="Saved.")
    assert not submit(_post(rf, {}), _Form({"version": "3"}), lambda: calls.append(1), saved="Saved.")
    request = _post(rf, {})
    post = submit(request, _Form({"version": "3", "name": "x"}), lambda: "result", saved=lambda r: f"Saved {r}.")
    assert post and post.result == "result" and not calls
    assert [str(m) for m in get_messages(request)] == ["Saved result."]
