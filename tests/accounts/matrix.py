from lde_portal.accounts.models import Invitation
from tests.matrix import Row


def _invitation(organisation, user):
    return Invitation.objects.get_or_create(organisation=organisation, user=user, status="pending",
                                            defaults={"role": "coach"})[0]


ROWS = {
    "org_admin:member_list": Row("members.manage"),
    "org_admin:member_toggle": Row(
        "members.manage", kwargs=lambda p: {"pk": p.other_coach.pk}, foreign_kwargs=lambda p: {"pk": p.outsider.pk},
        method="POST", ok=302,
    ),
    "org_admin:member_role": Row(
        "members.manage", kwargs=lambda p: {"pk": p.other_coach.pk}, foreign_kwargs=lambda p: {"pk": p.outsider.pk},
        method="POST", data=lambda p: {"role": "coach"}, ok=302,
    ),
    # There is no org-admin action on a member's second factor: it belongs to the person (issue #24).
    "org_admin:invitation_withdraw": Row(
        "members.manage", kwargs=lambda p: {"pk": _invitation(p.org, p.outsider.user).pk},
        foreign_kwargs=lambda p: {"pk": _invitation(p.other_org, p.coach.user).pk}, method="POST", ok=302,
    ),
    "org_admin:activity_list": Row("activities.manage"),
    "org_admin:activity_create": Row("activities.manage"),
    "org_admin:activity_edit": Row(
        "activities.manage", kwargs=lambda p: {"pk": p.activity.pk},
        foreign_kwargs=lambda p: {"pk": p.other_org.activities.create(name="X", type="other").pk},
    ),
}
ROWS.update({
    "org_admin:organisation_edit": Row("organisation.manage"),
    # No logo uploaded in the fixture: members get 404 from the view itself, outsiders from the policy.
    "org_admin:organisation_logo": Row("org.view", ok=404),
})
