from tests.matrix import Row, foreign_worker_kwargs, worker_kwargs


def _version(p, worker=None):
    from tests.pop.helpers import make_version

    return make_version(worker or p.worker)


def _v(p):
    return {"pk": p.worker.pk, "version_pk": _version(p).pk}


def _foreign_v(p):
    return {"pk": p.foreign_worker.pk, "version_pk": _version(p, p.foreign_worker).pk}


def _reviewed(p):
    from tests.pop.helpers import make_review_with_file

    version = _version(p)
    make_review_with_file(version)
    return {"pk": p.worker.pk, "version_pk": version.pk}


def _foreign_reviewed(p):
    from tests.pop.helpers import make_review_with_file

    version = _version(p, p.foreign_worker)
    make_review_with_file(version)
    return {"pk": p.foreign_worker.pk, "version_pk": version.pk}


def _training(p):
    from tests.pop.helpers import make_training

    return {"training_pk": make_training(p.org, [p.worker]).pk}


def _foreign_training(p):
    from tests.pop.helpers import make_training

    return {"training_pk": make_training(p.other_org, [p.foreign_worker]).pk}


ROWS = {
    "pop:competence_list": Row("pop.view"),
    "pop:competence_add": Row("competence.manage"),
    "pop:pop_tab": Row("pop.view", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "pop:pop_start": Row("pop.edit", worker_kwargs, foreign_worker_kwargs, method="POST", ok=302, scoped=True),
    "pop:pop_history": Row("pop.view", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "pop:pop_edit": Row("pop.edit", _v, _foreign_v, scoped=True),
    "pop:pop_submit": Row("pop.edit", _v, _foreign_v, method="POST", ok=302, scoped=True),
    "pop:pop_approve": Row("pop.approve", _v, _foreign_v, method="POST", ok=302, scoped=True),
    "pop:pop_return": Row("pop.approve", _v, _foreign_v, method="POST", ok=302, scoped=True),
    "pop:pop_register": Row("pop.edit", _v, _foreign_v, method="POST", ok=302, scoped=True),
    "pop:pop_print": Row("pop.view", _v, _foreign_v, scoped=True),
    "pop:review_edit": Row("pop.edit", _v, _foreign_v, scoped=True),
    "pop:review_file": Row("pop.view", _reviewed, _foreign_reviewed, scoped=True),
    "pop:feedback_tab": Row("feedback.view", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "pop:team_feedback": Row("feedback.edit"),
    # An empty post is refused in JSON, as an entry the phone cannot read (tests/pop/test_offline.py).
    "pop:feedback_queued": Row("feedback.edit", method="POST", ok=422),
    "pop:worker_card": Row("feedback.view", worker_kwargs, foreign_worker_kwargs, scoped=True),
    "pop:review_list": Row("pop.review_list"),
    "pop:training_list": Row("training.view"),
    "pop:training_add": Row("training.manage"),
    "pop:training_edit": Row("training.manage", _training, _foreign_training, scoped=True),
    "pop:training_certificate": Row("training.view", _training, _foreign_training, scoped=True),
}
