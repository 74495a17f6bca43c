"""The throughflow handover summary (overdrachtsfiche) for the next employer: a document kind of the
platform (lde_portal.documents, docs/documents.md), registered in ThroughflowConfig.ready().

It can only be issued on a current (not withdrawn) consent of the worker for that employer, and prints
only the parts the consent names. The builder reads, by the worker's id: the employments (activity and
period), the competence levels confirmed in an approved POP, the job target's occupation, sector, hours,
region and type of work, the internships' employer, period, tasks and result, and the coach's handover
notes. Never the job target's conditions (childcare, pay), the internship evaluations, the applications
or anything of the confidential section.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lde_portal.documents.forms import RecordChoiceForm
from lde_portal.documents.registry import DocumentDataError, register_kind
from pop.selectors import confirmed_competences
from trajects.documents import _activities, _default_role, _employments

from .models import ConsentScope, HandoverConsent, HandoverNote, Internship, JobTarget

HANDOVER_FIELDS = ("worker_name", "employer_name", "consent_date", "scope", "experience", "competences",
                   "job_target", "internships", "notes")


def _lines(text) -> list[str]:
    return [line.strip(" -•*\t") for line in (text or "").splitlines() if line.strip(" -•*\t")]


def current_consents(worker_pk):
    return (HandoverConsent.objects.filter(worker_id=worker_pk, withdrawn_on__isnull=True)
            .select_related("employer").order_by("-given_on", "-id"))


def _experience(worker_pk, today):
    employments = _employments(worker_pk)
    if not employments:
        return None
    activities = _activities(employments, today)
    return {"role": _default_role(employments), "activities": activities}


def _competences(worker_pk):
    return [{"name": r["name"], "level": r["level"], "level_label": r["level_label"], "confirmed_on": r["confirmed_on"]}
            for r in confirmed_competences(worker_pk)]


def _job_target(worker_pk):
    target = (JobTarget.objects.filter(worker_id=worker_pk)
              .only("occupation", "sector", "weekly_hours", "region", "work_type").first())
    if target is None:
        return None
    return {"occupation": target.occupation, "sector": target.sector, "weekly_hours": target.weekly_hours,
            "region": target.region, "work_type": str(target.get_work_type_display())}


def _internships(worker_pk, today):
    rows = (Internship.objects.filter(worker_id=worker_pk, start__lte=today).select_related("employer")
            .only("employer__name", "start", "end", "tasks", "result").order_by("start", "id"))
    return [{"employer": i.employer.name, "start": i.start, "end": i.end, "tasks": _lines(i.tasks),
             "result": str(i.get_result_display()) if i.result else ""} for i in rows]


def _notes(worker_pk):
    note = (HandoverNote.objects.filter(worker_id=worker_pk).only("works_well", "support_tips", "contact_moments")
            .first())
    if note is None:
        return None
    return {"works_well": _lines(note.works_well), "support_tips": _lines(note.support_tips),
            "contact_moments": _lines(note.contact_moments)}


def build_handover(worker, membership, data) -> dict:
    consent = None
    if str(data.get("consent") or "").isdigit():
        consent = current_consents(worker.pk).filter(pk=int(data["consent"])).first()
    if consent is None:
        raise DocumentDataError(_("There is no recorded consent of the worker for this handover."))
    today = timezone.localdate()
    scope = [k for k in ConsentScope.values if k in consent.scope]
    return {
        "worker_name": worker.full_name,
        "employer_name": consent.employer.name,
        "consent_date": consent.given_on,
        "scope": [str(ConsentScope(k).label) for k in scope],
        "experience": _experience(worker.pk, today) if ConsentScope.EXPERIENCE in scope else None,
        "competences": _competences(worker.pk) if ConsentScope.COMPETENCES in scope else [],
        "job_target": _job_target(worker.pk) if ConsentScope.JOB_TARGET in scope else None,
        "internships": _internships(worker.pk, today) if ConsentScope.INTERNSHIPS in scope else [],
        "notes": _notes(worker.pk) if ConsentScope.NOTES in scope else None,
    }


class HandoverForm(RecordChoiceForm):
    consent = forms.ChoiceField(
        label=gettext_lazy("Next employer"), required=False,
        help_text=gettext_lazy("Only employers for which the worker's consent is recorded (and not withdrawn) on "
                               "the Throughflow tab."))

    field_order = ["consent", "language"]
    record_field = "consent"
    blank = "—"
    preselect = True

    def worker_records(self, worker_id):
        return current_consents(worker_id)

    def record_label(self, c):
        return _("%(employer)s (consent of %(date)s)") % {"employer": c.employer.name,
                                                          "date": c.given_on.strftime("%d/%m/%Y")}


def register():
    register_kind(
        "handover_summary", label=gettext_lazy("Handover summary for the next employer"),
        description=gettext_lazy("Experience, competences, job target, internships and the coach's tips for the "
                                 "next employer: only with the worker's recorded consent."),
        template="pdf/handover_summary.html", context_builder=build_handover,
        permission="document.issue", fields=HANDOVER_FIELDS, form_class=HandoverForm, order=50,
    )
