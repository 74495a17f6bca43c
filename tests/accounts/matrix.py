from tests.matrix import Row

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
    "org_admin:member_reset_two_factor": Row(
        "members.manage", kwargs=lambda p: {"pk": p.manager.pk}, foreign_kwargs=lambda p: {"pk": p.outsider.pk},
        method="POST", ok=302,
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
