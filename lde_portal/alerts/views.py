from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lde_portal.accounts.access import has_perm, org_permission_required
from lde_portal.concurrency import conflicting_fields, perform, submit
from lde_portal.urls_util import object_url

from . import calendar, selectors, services
from .config import config_from
from .forms import AlertFilterForm, AlertSettingsForm, PreferenceForm, SnoozeForm
from .registry import kind_choices

PER_PAGE = 50


def _back(request):
    """Return to the filtered list the action came from (only our own list URL is accepted)."""
    target = reverse("alerts:list", kwargs={"org_slug": request.organisation.slug})
    query = request.POST.get("next_query", "")
    return redirect(f"{target}?{query}" if query and "//" not in query else target)


@org_permission_required("alerts.view")
def alert_list(request):
    membership = request.membership
    today = timezone.localdate()
    team = selectors.can_see_team(membership)
    form = AlertFilterForm(request.GET or None, kinds=kind_choices(), workers=selectors.workers_with_alerts(membership),
                           team=team)
    filters = form.cleaned_data if form.is_valid() else {}
    alerts = selectors.alert_list(
        membership, today, scope=filters.get("scope") or "mine", when=filters.get("when") or "",
        kind=filters.get("kind") or "", worker=filters.get("worker"), state=filters.get("state") or "open",
    )
    page = Paginator(alerts, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    slug = request.organisation.slug
    worker_url, snooze_url, done_url = (object_url(name, org_slug=slug) for name in (
        "trajects:worker_detail", "alerts:snooze", "alerts:done"))
    for alert in page.object_list:
        alert.worker_href, alert.snooze_href, alert.done_href = (
            worker_url(alert.worker_id), snooze_url(alert.pk), done_url(alert.pk))
    return render(request, "alerts/alert_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "today": today,
        "can_handle": has_perm(membership, "alerts.handle"), "team": team,
    })


@org_permission_required("alerts.handle")
def alert_snooze(request, pk):
    alert = selectors.alert_for(request.membership, pk)
    form = SnoozeForm(request.POST or None, initial={"shown_until": alert.snoozed_until})
    if submit(request, form, lambda: services.alert_snooze(alert=alert, membership=request.membership,
                                                           **form.cleaned_data),
              saved=lambda _result: _("The alert is snoozed until %(date)s.") % {
                  "date": form.cleaned_data["until"].strftime("%d/%m/%Y")}):
        return _back(request)
    return render(request, "alerts/alert_snooze.html", {
        "alert": alert, "form": form, "next_query": request.GET.get("next_query", request.POST.get("next_query", "")),
    })


@require_POST
@org_permission_required("alerts.handle")
def alert_done(request, pk):
    alert = selectors.alert_for(request.membership, pk)
    perform(request, lambda: services.alert_mark_done(alert=alert, membership=request.membership),
            done=_("Marked as done."))
    return _back(request)


@org_permission_required("alerts.view")
def preferences(request):
    membership = request.membership
    preference = services.preference_get(membership)
    form = PreferenceForm(request.POST or None, initial={"digest": preference.digest})
    if request.method == "POST" and form.is_valid():
        services.preference_update(membership=membership, digest=form.cleaned_data["digest"])
        messages.success(request, _("Your preferences are saved."))
        return redirect("alerts:preferences", org_slug=request.organisation.slug)
    org_default = config_from(services.settings_get(request.organisation)).default_digest
    feed_url = None
    if preference.calendar_token:
        feed_url = request.build_absolute_uri(reverse("calendar_feed", kwargs={"token": preference.calendar_token}))
    return render(request, "alerts/preferences.html", {
        "form": form, "feed_url": feed_url, "org_default": dict(form.fields["digest"].choices).get(org_default),
    })


@require_POST
@org_permission_required("alerts.view")
def calendar_token(request):
    if request.POST.get("action") == "revoke":
        services.calendar_token_revoke(membership=request.membership)
        messages.success(request, _("The calendar link is revoked: agendas using it no longer receive deadlines."))
    else:
        services.calendar_token_regenerate(membership=request.membership)
        messages.success(request, _("A new calendar link was made; the previous link no longer works."))
    return redirect("alerts:preferences", org_slug=request.organisation.slug)


@org_permission_required("alerts.configure")
def alert_settings(request):
    organisation = request.organisation
    stored = services.settings_get(organisation)
    config = config_from(stored if stored.pk else None)
    form = AlertSettingsForm(request.POST or None, instance=stored, config=config,
                             initial={"version": stored.version})

    def save():
        data = dict(form.cleaned_data)
        data["lead_times"] = {**(stored.lead_times or {}), **data["lead_times"]}
        return services.settings_update(organisation=organisation, actor=request.user, data=data,
                                        expected_version=form.cleaned_data.get("version") if stored.pk else None)

    def compare(form, current):
        current_config = config_from(current)
        for kind, name in form.kind_fields:  # compare lead times as typed: "12, 6, 3"
            setattr(current, name, ", ".join(str(n) for n in current_config.lead_times(kind)))
        return conflicting_fields(form, current)

    post = submit(request, form, save, saved=_("The alert settings are saved."), compare=compare,
                  conflict=_("Someone else saved these settings in the meantime. Check the values below "
                             "and save again to keep yours."))
    if post:
        return redirect("alerts:settings", org_slug=organisation.slug)
    return render(request, "alerts/settings.html", {"form": form, "conflicts": post.conflicts})


@require_GET
def calendar_feed(request, token):
    """Public URL (agenda apps cannot log in) holding only kind, worker initials and due date: no names,
    no titles, nothing from the confidential section. An unknown or revoked token is a 404."""
    preference = selectors.preference_for_token(token) if token else None
    if (preference is None or not preference.membership.active or not preference.membership.user.is_active):
        raise Http404
    body = calendar.feed(preference.membership, timezone.localdate())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lde-deadlines.ics"'
    # Not no-store, unlike the portal's pages: the reader is a calendar app that copies the events into its
    # own calendar anyway, so a cached feed adds nothing it does not already keep, and the URL (in that app
    # or a browser's history) reveals more than a cached copy would. `private` keeps shared proxies out;
    # the 15 minutes spare the portal from apps that poll every minute.
    response["Cache-Control"] = "private, max-age=900"
    return response


