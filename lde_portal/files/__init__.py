"""Generated files: the one model for a file the portal builds for someone (issue #17), in the manner of
pretix's CachedFile.

A large export, an attestation batch's ZIP, a subject-access file and an import's result or error workbook
are the same thing to the platform: a file of an organisation, asked for by a member, built now or by a
background job with progress, downloadable by members with the kind's permission until it expires, then
deleted by the one cleanup job (`files.cleanup`, nightly in CELERY_BEAT_SCHEDULE). It lives in the platform,
not in reports, because documents, privacy and the import use it too and the platform's apps do not import
each other's features.

An app registers a kind in its AppConfig.ready():

    from lde_portal.files.kinds import FileKind, register_kind

    register_kind(FileKind(
        key="imports.result", label=_("Import result"),
        permission="imports.run",          # to see, retry and download it; the job re-checks it
        keep_days_setting="PORTAL_GENERATED_FILE_DAYS",
    ))

then creates, builds and offers the file:

    from lde_portal.files import services

    generated = services.generated_file_create(kind="imports.result", membership=request.membership,
                                               filename="import-fouten.xlsx", params={"run": run.pk}, total=rows)
    enqueue_on_commit(build_task, generated.pk, on_failure=lambda: services.mark_not_queued(generated.pk))

    # in the task: act only as a member who still holds the kind's permission (and the job's own ones)
    membership = services.acting_membership(generated, also=("imports.run",))
    if membership is None:
        return services.generated_file_fail(generated, services.PERMISSION)
    services.generated_file_progress(generated, done=n)             # now and then
    services.generated_file_store(generated, content)               # bytes or a File; status DONE

    # in a template: the one progress partial and the one download view
    {% include "files/_progress.html" with file=generated progress_url=... retry_url=... summary_template=... %}
    {% url 'files:download' org_slug=current_org.slug pk=generated.pk %}

A failed or lost job (`stalled`: still pending PORTAL_JOB_STALE_MINUTES after it was queued) is offered
again ("Opnieuw proberen") unless it failed on the permission: `services.generated_file_requeue`.
"""
