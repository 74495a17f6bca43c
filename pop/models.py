"""POP (persoonlijk ontwikkelingsplan), weekly feedback and trainings (docs/domain.md §3.4–3.5)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lde_portal import dates, uploads
from lde_portal.accounts.models import ActivityType

LEVELS = (1, 2, 3, 4)
LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]


class CompetenceKind(models.TextChoices):
    GENERIC = "generic", _("Generic")
    TECHNICAL = "technical", _("Technical")


class Competence(models.Model):
    """A competence of the catalogue. `organisation` empty = the sector-wide seeded catalogue."""

    organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="competences")
    kind = models.CharField(_("kind"), max_length=12, choices=CompetenceKind.choices)
    activity_type = models.CharField(_("activity type"), max_length=30, choices=ActivityType.choices, blank=True,
                                     help_text=_("Only for technical competences."))
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    # The competences rated weekly when a worker has no POP yet (issue #5: "the generic defaults").
    default_focus = models.BooleanField(_("default focus"), default=False)
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "order", "name", "id"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "activity_type", "name"],
                                    name="competence_unique_name"),
            models.CheckConstraint(condition=Q(kind="generic", activity_type="") | Q(kind="technical"),
                                   name="competence_generic_has_no_activity"),
        ]
        indexes = [models.Index(fields=["organisation", "kind", "activity_type"])]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == CompetenceKind.TECHNICAL and not self.activity_type:
            raise ValidationError({"activity_type": [_("Choose the activity type of a technical competence.")]})
        if self.kind == CompetenceKind.GENERIC:
            self.activity_type = ""


class CompetenceLevel(models.Model):
    """Behavioural descriptor of one of the four levels, in plain Dutch."""

    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(validators=LEVEL_VALIDATORS)
    descriptor = models.CharField(_("descriptor"), max_length=300)

    class Meta:
        ordering = ["competence", "level"]
        constraints = [
            models.UniqueConstraint(fields=["competence", "level"], name="competence_level_unique"),
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=4), name="competence_level_range"),
        ]

    def __str__(self):
        return f"{self.competence} {self.level}"


class Pop(models.Model):
    """One plan per worker per year; its content lives in versions."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("trajects.Worker", on_delete=models.CASCADE, related_name="pops")
    year = models.PositiveSmallIntegerField(_("year"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["worker", "year"], name="pop_one_per_worker_year")]

    def __str__(self):
        return f"POP {self.year} {self.worker}"


class PopStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    READY = "ready_for_review", _("Ready for review")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")


OPEN_STATUSES = (PopStatus.DRAFT, PopStatus.READY)


class PopVersion(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    pop = models.ForeignKey(Pop, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=PopStatus.choices, default=PopStatus.DRAFT)
    long_term_goal = models.TextField(_("long-term goal"), blank=True,
                                      help_text=_("In the worker's own words."))
    short_term_goal = models.TextField(_("short-term goal"), blank=True,
                                       help_text=_("In the worker's own words."))
    job_target = models.CharField(_("job target"), max_length=300, blank=True,
                                  help_text=_("The kind of job the worker is aiming for."))
    # What the yearly preparation found (averages, notable observations, actions done/overdue), shown
    # beside the draft so the reviewer checks instead of retyping.
    preparation = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_on = dates.DateField(_("approved on"), date_range=dates.GUIDANCE, null=True, blank=True)
    approved_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    vdab_registered_on = dates.DateField(_("registered with VDAB on"), date_range=dates.GUIDANCE, null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pop", "number"]
        constraints = [models.UniqueConstraint(fields=["pop", "number"], name="pop_version_number_unique")]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return f"{self.pop} v{self.number}"

    @property
    def editable(self):
        return self.status in OPEN_STATUSES


class PopCompetence(models.Model):
    version = models.ForeignKey(PopVersion, on_delete=models.CASCADE, related_name="competences")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    current_level = models.PositiveSmallIntegerField(_("current level"), validators=LEVEL_VALIDATORS)
    target_level = models.PositiveSmallIntegerField(_("target level"), validators=LEVEL_VALIDATORS)
    # Rated in the weekly feedback.
    focus = models.BooleanField(_("in focus"), default=True)

    class Meta:
        ordering = ["competence__kind", "competence__order", "competence__name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "competence"], name="pop_competence_once"),
            models.CheckConstraint(condition=Q(current_level__gte=1, current_level__lte=4, target_level__gte=1,
                                               target_level__lte=4), name="pop_competence_levels_range"),
        ]

    def __str__(self):
        return f"{self.competence_id}: {self.current_level} → {self.target_level}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", pgettext_lazy("action status", "Done")
    DROPPED = "dropped", _("Dropped")


class ImprovementAction(models.Model):
    version = models.ForeignKey(PopVersion, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(_("what"), max_length=300)
    supporter = models.CharField(_("who supports"), max_length=150, blank=True)
    how = models.CharField(_("how"), max_length=300, blank=True)
    due_date = dates.DateField(_("due date"), date_range=dates.DUE, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "id"]

    def __str__(self):
        return self.what


class AckMethod(models.TextChoices):
    SIGNATURE = "signature", _("Signed on screen")
    UPLOAD = "upload", _("Signed printout uploaded")


class YearlyReview(models.Model):
    """The yearly review meeting of one POP version and the worker's acknowledgement of it."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    pop_version = models.OneToOneField(PopVersion, on_delete=models.CASCADE, related_name="review")
    date = dates.DateField(_("date of the meeting"), date_range=dates.GUIDANCE)
    participants = models.CharField(_("participants"), max_length=300)
    conclusions = models.TextField(_("conclusions"), blank=True)
    worker_view = models.TextField(_("the worker's own view"), blank=True)
    ack_method = models.CharField(_("acknowledgement"), max_length=12, choices=AckMethod.choices, blank=True)
    ack_file = uploads.private_file_field("pop", blank=True)
    acknowledged_on = dates.DateField(_("acknowledged on"), date_range=dates.GUIDANCE, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.pop_version} review {self.date}"


class DueKind(models.TextChoices):
    FIRST_REGISTRATION = "first_registration", _("First POP registered with VDAB")
    YEARLY_REVIEW = "yearly_review", _("Yearly POP review")


class PopSchedule(models.Model):
    """The stored POP deadlines of one worker, refreshed by the services; the alert scan reads `next_due`."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    worker = models.OneToOneField("trajects.Worker", on_delete=models.CASCADE, related_name="pop_schedule")
    hire_date = models.DateField(null=True, blank=True)
    first_pop_due = models.DateField(null=True, blank=True)
    first_registered_on = models.DateField(null=True, blank=True)
    last_approved_on = models.DateField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)
    next_due = models.DateField(null=True, blank=True, db_index=True)
    next_due_kind = models.CharField(max_length=20, choices=DueKind.choices, blank=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "next_due"])]

    def __str__(self):
        return f"{self.worker_id}: {self.next_due_kind} {self.next_due}"


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    PARTLY = "partly", _("Partly present")
    ABSENT = "absent", _("Absent")
    SICK = "sick", _("Sick")
    LEAVE = "leave", _("Leave")


class Punctuality(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    SOMETIMES_LATE = "sometimes_late", _("Sometimes late")
    OFTEN_LATE = "often_late", _("Often late")


class WeeklyFeedback(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("trajects.Worker", on_delete=models.CASCADE, related_name="weekly_feedback")
    week_start = dates.DateField(_("week"), date_range=dates.GUIDANCE, help_text=_("The Monday of the ISO week."))
    presence = models.CharField(_("presence"), max_length=10, choices=Presence.choices)
    punctuality = models.CharField(_("punctuality"), max_length=20, choices=Punctuality.choices, blank=True)
    observation = models.CharField(_("observation"), max_length=500, blank=True)
    notable = models.BooleanField(_("notable for the review"), default=False)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    author = models.ForeignKey("accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    # A coach's phone may send a week typed offline hours later, while a coordinator corrected it meanwhile:
    # the save names the version it was based on (lde_portal/concurrency.py).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "week_start"], name="feedback_one_per_worker_week"),
        ]
        indexes = [models.Index(fields=["organisation", "week_start"])]

    def __str__(self):
        return f"{self.worker_id} {self.iso_week}"

    @property
    def iso_week(self):
        year, week, _day = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"


class FeedbackRating(models.Model):
    feedback = models.ForeignKey(WeeklyFeedback, on_delete=models.CASCADE, related_name="ratings")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(validators=LEVEL_VALIDATORS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feedback", "competence"], name="feedback_rating_once"),
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=4), name="feedback_rating_range"),
        ]

    def __str__(self):
        return f"{self.competence_id}={self.rating}"


class FeedbackDraft(models.Model):
    """A half-filled team screen, kept server-side per coach and week ("Bewaar als klad")."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="+")
    week_start = dates.DateField(date_range=dates.GUIDANCE)
    data = models.JSONField(default=dict)
    # The refusals of the last "Save" (field name → messages), shown again beside the typed values when the
    # week is reopened, after a reload or a new login: the rows a coach still has to correct are never lost.
    errors = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["coach", "week_start"], name="feedback_draft_once")]

    def __str__(self):
        return f"{self.coach_id} {self.week_start}"


class QueuedFeedback(models.Model):
    """A worker's week sent from a phone's offline queue, by the id the phone gave it. A phone that loses the
    answer sends the entry again: the unique id makes the second send a no-op instead of a second save."""

    submission_id = models.UUIDField(unique=True)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="+")
    feedback = models.ForeignKey(WeeklyFeedback, on_delete=models.CASCADE, related_name="queued_sends")
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.submission_id)


class OnFeedbackError(models.TextChoices):
    SAVE_VALID = "save_valid", _("Save the correct rows, keep the rows with an error as a draft")
    KEEP_ALL = "keep_all", _("Save nothing, keep the whole screen as a draft")


class FeedbackPreference(models.Model):
    """A member's own choice for the team screen: what "Save" does when some rows have an error."""

    membership = models.OneToOneField("accounts.Membership", on_delete=models.CASCADE,
                                      related_name="feedback_preference")
    # Saving the correct rows is the default: a coach on the floor expects the rows she finished to be kept.
    on_error = models.CharField(_("when a row has an error"), max_length=10, choices=OnFeedbackError.choices,
                                default=OnFeedbackError.SAVE_VALID)

    def __str__(self):
        return f"Feedback preference of {self.membership_id}"


class ProviderType(models.TextChoices):
    # The training-fund (Vormingsfonds) categories.
    INTERNAL = "internal", _("Internal trainer")
    EXTERNAL = "external", _("External trainer")
    LANGUAGE = "language", _("Language support")


class Training(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    course = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200)
    provider_type = models.CharField(_("provider type"), max_length=10, choices=ProviderType.choices)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    start_date = dates.DateField(_("start date"), date_range=dates.GUIDANCE)
    end_date = dates.DateField(_("end date"), date_range=dates.GUIDANCE, null=True, blank=True)
    cost = models.DecimalField(_("cost (EUR)"), max_digits=9, decimal_places=2, default=0)
    certificate = uploads.private_file_field("pop", _("certificate"), blank=True)
    competences = models.ManyToManyField(Competence, blank=True, related_name="trainings",
                                         verbose_name=_("linked competences"))
    participants = models.ManyToManyField("trajects.Worker", blank=True, related_name="trainings",
                                          verbose_name=_("participants"))
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="training_end_after_start"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="training_cost_positive"),
        ]
        indexes = [models.Index(fields=["organisation", "start_date"])]

    def __str__(self):
        return self.course

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": [_("The end date is before the start date.")]})


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())
