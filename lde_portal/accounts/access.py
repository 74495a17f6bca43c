"""THE permission policy of the portal: who may do what, and which workers each member sees.

Every portal view declares one permission from PERMISSIONS, through `org_permission_required`
(function views) or `OrgPermissionMixin` (class views). The organisation is in the URL and is
resolved here once per request:

- anonymous users are sent to the login page;
- users who are not an active member of that organisation get 404, so tenants cannot be probed;
- members whose role lacks the permission get 403.

An invitation (accounts.Invitation) is not a membership: until the invited person accepts it, it grants
nothing here.

Object-level scoping (a coach only sees the workers assigned to them) is done with the querysets
below: a view fetches its object through them, so an unassigned worker is a 404 too.
"""

from functools import wraps

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from .models import Membership, Role
from .twofactor import second_factor_redirect

COACH, COORDINATOR, MANAGER, ORG_ADMIN = Role.COACH, Role.COORDINATOR, Role.MANAGER, Role.ORG_ADMIN
ALL_ROLES = frozenset(Role)

PERMISSIONS: dict[str, frozenset] = {
    "org.view": ALL_ROLES,
    "worker.view": ALL_ROLES,
    # The whole organisation's workers, lists and aggregates; coaches see the workers assigned to them
    # (workers_visible_to), so their pages leave out organisation-wide filters, names and counts.
    "worker.view_all": frozenset({COORDINATOR, MANAGER, ORG_ADMIN}),
    "worker.create": frozenset({COORDINATOR, MANAGER, ORG_ADMIN}),
    # Coaches keep contact details of their own workers up to date; scoping limits them to those.
    "worker.edit": ALL_ROLES,
    "worker.change_status": frozenset({COORDINATOR, MANAGER, ORG_ADMIN}),
    "worker.manage_employment": frozenset({COORDINATOR, MANAGER, ORG_ADMIN}),
    "worker.manage_coaches": frozenset({COORDINATOR, ORG_ADMIN}),
    "members.manage": frozenset({ORG_ADMIN}),
    "activities.manage": frozenset({ORG_ADMIN}),
    "organisation.manage": frozenset({ORG_ADMIN}),
    # docs/domain.md §7: the confidential section is for the worker's guidance staff only. Managers and
    # org admins see aggregates, never contents; coaches only for their own workers (see below).
    "confidential.view": frozenset({COACH, COORDINATOR}),
    # Indication (VDAB advices, evaluation requests) is not the confidential section: everyone sees the
    # tab; the people who deal with VDAB paperwork record it. Org admins run the portal, not dossiers.
    "indication.view": ALL_ROLES,
    "indication.edit": frozenset({COACH, COORDINATOR, MANAGER}),
    # Who read a worker's confidential section: the coordinators answer for the guidance team.
    "confidential.audit": frozenset({COORDINATOR}),
    # The ICF item catalogue holds labels only, no personal data.
    "icf.manage": frozenset({COORDINATOR, ORG_ADMIN}),
    # Trajectories (issue #3). The legal facts (start, regime, suspensions, extensions) decide funding,
    # so coordinators and up record them; coaches follow up phases and milestones of their own workers.
    "trajectory.manage": frozenset({COORDINATOR, MANAGER, ORG_ADMIN}),
    "trajectory.track": ALL_ROLES,
    "trajectory.ends": ALL_ROLES,
    "rules.view": ALL_ROLES,
    "phases.manage": frozenset({ORG_ADMIN}),
    # POP, weekly feedback and trainings (pop app). Coaches work on the plans of their own workers
    # (scoping), coordinators approve (docs/domain.md §3.4); managers read everything, change nothing.
    "pop.view": ALL_ROLES,
    "pop.edit": frozenset({COACH, COORDINATOR}),
    "pop.approve": frozenset({COORDINATOR}),
    "pop.review_list": frozenset({COORDINATOR, MANAGER}),
    "feedback.view": ALL_ROLES,
    "feedback.edit": frozenset({COACH, COORDINATOR}),
    "competence.manage": frozenset({ORG_ADMIN}),
    "training.view": ALL_ROLES,
    "training.manage": frozenset({COACH, COORDINATOR, ORG_ADMIN}),
    # Alerts (lde_portal/alerts): everyone has a bell for the deadlines addressed to them; coordinators
    # watch the whole team's deadlines (docs/domain.md §3) and managers the overview; the guidance staff act
    # on them (snooze, done); the org admin tunes lead times and escalation.
    "alerts.view": ALL_ROLES,
    "alerts.view_team": frozenset({COORDINATOR, MANAGER}),
    "alerts.handle": frozenset({COACH, COORDINATOR}),
    "alerts.configure": frozenset({ORG_ADMIN}),
    # Issued documents (docs/documents.md). Seeing and downloading follow the worker's visibility; issuing
    # is for guidance staff and the direction that signs; revoking is the coordinator's call (issue #8);
    # batches are organisation-wide.
    "document.view": ALL_ROLES,
    "document.issue": frozenset({COACH, COORDINATOR, MANAGER}),
    "document.revoke": frozenset({COORDINATOR}),
    "document.batch": frozenset({COORDINATOR, MANAGER}),
    "document.configure": frozenset({ORG_ADMIN}),
    # Issue #11. Coordinators answer to the worker for their file (trail, subject access, erasure
    # request); org admins oversee the organisation (whole trail, retention, approving erasure).
    "audit.view_worker": frozenset({COORDINATOR}),
    "audit.view_org": frozenset({ORG_ADMIN}),
    "privacy.subject_access": frozenset({COORDINATOR}),
    "privacy.request_erasure": frozenset({COORDINATOR}),
    "privacy.manage": frozenset({ORG_ADMIN}),
    # Throughflow (issue #6). The coach knows first that a worker leaves and makes the aftercare calls
    # (docs/journeys.md, "leaving with proof"), so the coach records the exit of their OWN workers (scoping) as
    # coordinators and the direction do; an exit ends the employment and the trajectory, so one recorded by
    # a coach raises an alert for the coordinators (throughflow.alerts.EXIT_BY_COACH). The assignments end
    # with the exit: the coach assigned at the exit keeps only that former worker's follow-ups
    # (throughflow.selectors.followup_for), not the dossier.
    "throughflow.view": ALL_ROLES,
    "throughflow.exit": frozenset({COACH, COORDINATOR, MANAGER}),
    "throughflow.followup": frozenset({COACH, COORDINATOR}),
    # The ratio lists exits of the whole organisation by name: not for coaches (they see their own workers).
    "throughflow.ratio": frozenset({COORDINATOR, MANAGER, ORG_ADMIN}),
    # The throughflow track is run by the worker's coach with the coordinator (docs/domain.md §3.6). It includes the
    # job target, whose childcare and pay conditions are confidential: keep this within "confidential.view".
    "throughflow.track": frozenset({COACH, COORDINATOR}),
    # The readiness check is the coach's talk with the worker (docs/domain.md §3.6); its health, family and money
    # notes are confidential, so only the guidance staff write it (managers read it without those notes).
    "throughflow.readiness": frozenset({COACH, COORDINATOR}),
    # Organisation knobs (aftercare follow-up moments), like the alert settings.
    "throughflow.configure": frozenset({ORG_ADMIN}),
    # The employer directory is shared job-hunting knowledge: everyone reads it, guidance staff keep it up.
    "employer.view": ALL_ROLES,
    "employer.manage": frozenset({COACH, COORDINATOR, ORG_ADMIN}),
    # Reports (issue #9): organisation-wide figures and exports are for the people who account for them
    # to funders and the board (docs/domain.md §5); coaches see their own dashboard only.
    "reports.export": frozenset({COORDINATOR, MANAGER}),
    "reports.dashboard": ALL_ROLES,
    # The yearly report is the direction's account to its board (docs/journeys.md, manager Els).
    "reports.yearly": frozenset({MANAGER, ORG_ADMIN}),
    # Importing an organisation's records from its spreadsheets (issue #18) and exporting them in the same
    # layout: the org admin sets the portal up, the coordinators keep the dossiers the import fills; managers
    # and coaches do neither. The file holds every worker's personal data, so the same people export it.
    "imports.run": frozenset({COORDINATOR, ORG_ADMIN}),
    # Inflow (issue #20). Coordinators and org admins run the recruitment path. Coaches who take part in a
    # vacancy's selection (Vacancy.team: the technical instructor on the panel) follow its candidates and
    # nobody else's (inflow.selectors scoping); they record nothing, since the referral and the hire make the
    # worker's record. Managers see the board's counts and the lead time, not the candidates.
    "inflow.board": ALL_ROLES,
    "inflow.view_all": frozenset({COORDINATOR, MANAGER, ORG_ADMIN}),
    "inflow.view": frozenset({COACH, COORDINATOR, ORG_ADMIN}),
    "inflow.manage": frozenset({COORDINATOR, ORG_ADMIN}),
    "inflow.figures": frozenset({COORDINATOR, MANAGER, ORG_ADMIN}),
    "inflow.configure": frozenset({ORG_ADMIN}),
}


def has_perm(membership: Membership | None, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"Unknown permission {permission!r}: add it to access.PERMISSIONS")
    return membership is not None and membership.active and membership.role in PERMISSIONS[permission]


def resolve_membership(request, org_slug: str) -> Membership:
    """The user's active membership of the organisation in the URL, or 404.

    All the user's memberships are loaded in the same query: the organisation switcher needs them.
    """
    memberships = list(
        Membership.objects.select_related("organisation")
        .filter(user=request.user, active=True)
        .order_by("organisation__name")
    )
    request.my_memberships = memberships
    membership = next((m for m in memberships if m.organisation.slug == org_slug), None)
    if membership is None:
        raise Http404("Not a member of this organisation")
    membership.user = request.user
    return membership


def _owes_second_factor(request, membership) -> bool:
    """A member promoted to manager or org admin during their session passes the second factor before the
    next organisation page (the middleware decided at login; see accounts.twofactor)."""
    is_verified = getattr(request.user, "is_verified", None)
    return (
        is_verified is not None
        and not is_verified()
        and any(m.role in settings.PORTAL_2FA_ROLES for m in request.my_memberships)
    )


def _enter(request, org_slug, permission):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    membership = resolve_membership(request, org_slug)
    if _owes_second_factor(request, membership):
        return second_factor_redirect(request)
    # Set before the permission check so that the 403 page still shows the organisation's navigation.
    request.membership = membership
    request.organisation = membership.organisation
    if not has_perm(membership, permission):
        raise PermissionDenied
    return None


def org_permission_required(permission: str):
    """Decorator for function views taking `org_slug`: resolve the organisation, then check `permission`."""
    if permission not in PERMISSIONS:
        raise KeyError(f"Unknown permission {permission!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, org_slug, **kwargs):
            response = _enter(request, org_slug, permission)
            if response is not None:
                return response
            return view(request, *args, **kwargs)

        wrapped.permission = permission
        return wrapped

    return decorator


class OrgPermissionMixin:
    """Mixin for class views taking `org_slug`: the same check as the decorator."""

    permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        response = _enter(request, kwargs.pop("org_slug"), self.permission)
        if response is not None:
            return response
        self.membership = request.membership
        self.organisation = request.organisation
        return super().dispatch(request, *args, **kwargs)


def current_assignment_q(prefix: str = "", on=None) -> Q:
    """Coach assignments that are current on `on` (today): started and not yet ended."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}start__lte": on}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on})
    )


def workers_visible_to(membership: Membership, queryset=None):
    """The workers this member may see: a coach those currently assigned to them; other roles the whole
    organisation. The queryset comes from the domain (trajects.Worker) so the platform never imports it."""
    if queryset is None:
        queryset = apps.get_model("trajects", "Worker").objects.all()
    queryset = queryset.filter(organisation_id=membership.organisation_id)
    if membership.role == COACH:
        assignment_ids = apps.get_model("trajects", "CoachAssignment").objects.filter(
            current_assignment_q(), coach=membership
        )
        queryset = queryset.filter(pk__in=assignment_ids.values("worker_id"))
    return queryset


def can_read_confidential(membership: Membership, worker) -> bool:
    """docs/domain.md §7: the worker's assigned coaches and the coordinators, nobody else."""
    if not has_perm(membership, "confidential.view") or worker.organisation_id != membership.organisation_id:
        return False
    if membership.role == COORDINATOR:
        return True
    return workers_visible_to(membership).filter(pk=worker.pk).exists()
