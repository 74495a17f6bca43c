from django import forms
from django.utils.translation import gettext_lazy as _

from lde_portal.concurrency import VersionField

from .models import RetentionPolicy


class RetentionPolicyForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = RetentionPolicy
        fields = ["confidential_months", "pseudonymise_months", "subsidy_years"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        # The callable model defaults would make Django add a hidden copy of each initial value, and that copy
        # carries the help text's aria-describedby, which HTML forbids on a hidden input. Nothing here asks
        # the form what changed, so the copies have no use.
        for name in self._meta.fields:
            self.fields[name].show_hidden_initial = False


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: written request of the worker of 12/03/2026. An org admin (another person) must approve."),
    )


class ErasureDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
