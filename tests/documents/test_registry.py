"""The confidential section can never reach a PDF: builders get a PrintableWorker, return only declared
keys and only plain values; every registered kind is checked."""

import dataclasses

import pytest
from django.core.exceptions import ImproperlyConfigured

from lde_portal.documents import registry, services
from lde_portal.documents.registry import DocumentKind, PrintableWorker, build_context, register_kind
from tests.documents.helpers import EXPERIENCE_DATA, REFERENCE_DATA, pdf_text
from tests.pop.helpers import competence_sample, printout_sample, training_sample
from tests.throughflow.helpers import handover_sample

pytestmark = pytest.mark.django_db

MARKER = "GEHEIM-MARKER-7f3a"
# Form data per kind for this test; a kind registered later (POP, throughflow) adds its sample here. A
# callable takes the worker, records the facts the kind needs (a POP, a training) and returns the data.
SAMPLE_DATA = {"experience_attestation": EXPERIENCE_DATA, "reference_letter": REFERENCE_DATA,
               "competence_attestation": competence_sample, "training_attestation": training_sample,
               "pop_printout": printout_sample, "handover_summary": handover_sample}


def _sample(key, worker):
    data = SAMPLE_DATA[key]
    return dict(data(worker) if callable(data) else data)


@pytest.fixture
def marked_worker(personas):
    """Every free-text field of the worker that is not meant for print carries the marker, as the
    confidential section (indication, needs profile, referrals) will once those apps merge."""
    w = personas.worker
    for field in ["street", "municipality", "phone", "email", "emergency_contact_name", "emergency_contact_phone"]:
        setattr(w, field, f"{MARKER}@example.org" if field == "email" else MARKER)
    w.save()
    return w


def test_every_registered_kind_has_sample_data():
    assert set(registry.KINDS) <= set(SAMPLE_DATA), "add sample form data for the new kind to SAMPLE_DATA"


@pytest.mark.parametrize("key", sorted(SAMPLE_DATA))
def test_builder_output_stays_within_its_declared_whitelist(key, personas, marked_worker):
    kind = registry.get_kind(key)
    facts = kind.context_builder(PrintableWorker.of(marked_worker), personas.coach, _sample(key, marked_worker))
    assert set(facts) <= kind.fields, f"{key} returned undeclared keys {set(facts) - kind.fields}"
    assert MARKER not in repr(facts)


@pytest.mark.parametrize("key", sorted(SAMPLE_DATA))
def test_marker_never_reaches_any_pdf(key, personas, marked_worker):
    data = _sample(key, marked_worker)
    doc = services.document_issue(kind=key, worker=marked_worker, membership=personas.coach, data=data)
    assert MARKER not in pdf_text(doc.file.read())
    context = services.document_preview_context(kind=key, worker=marked_worker, membership=personas.coach,
                                                data=data)
    from lde_portal.documents.rendering import render_html

    assert MARKER not in render_html(key, context, preview=True)


def test_builders_only_see_the_printable_worker(personas, marked_worker):
    seen = {}

    def nosy(worker, membership, data):
        seen["type"] = type(worker)
        for attr in ["street", "phone", "emergency_contact_name", "employments", "organisation", "insz"]:
            with pytest.raises(AttributeError):
                getattr(worker, attr)
        with pytest.raises(dataclasses.FrozenInstanceError):
            worker.first_name = "x"
        return {"name": worker.full_name}

    kind = DocumentKind(key="nosy", label="Nosy", template="pdf/base.html", context_builder=nosy,
                        permission="document.issue", fields=frozenset({"name"}))
    assert build_context(kind, marked_worker, personas.coach, {}) == {"name": marked_worker.full_name}
    assert seen["type"] is PrintableWorker


def test_undeclared_key_is_refused(personas):
    kind = DocumentKind(key="leaky", label="Leaky", template="pdf/base.html",
                        context_builder=lambda w, m, d: {"name": w.full_name, "health": "x"},
                        permission="document.issue", fields=frozenset({"name"}))
    with pytest.raises(ImproperlyConfigured, match="undeclared keys.*health"):
        build_context(kind, personas.worker, personas.coach, {})


def test_model_instances_are_refused_in_the_context(personas):
    kind = DocumentKind(key="objects", label="Objects", template="pdf/base.html",
                        context_builder=lambda w, m, d: {"rows": [{"membership": m}]},
                        permission="document.issue", fields=frozenset({"rows"}))
    with pytest.raises(ImproperlyConfigured, match=r"rows\[0\]\.membership is a Membership"):
        build_context(kind, personas.worker, personas.coach, {})


def test_register_kind_validates_its_arguments():
    def builder(w, m, d):
        return {}

    with pytest.raises(ImproperlyConfigured, match="unknown permission"):
        register_kind("x", label="X", template="pdf/base.html", context_builder=builder, permission="nope",
                      fields=("a",))
    with pytest.raises(ImproperlyConfigured, match="declare the printable"):
        register_kind("x", label="X", template="pdf/base.html", context_builder=builder,
                      permission="document.issue", fields=())
    from django import forms

    with pytest.raises(ImproperlyConfigured, match="BaseIssueForm"):
        register_kind("x", label="X", template="pdf/base.html", context_builder=builder,
                      permission="document.issue", fields=("a",), form_class=forms.Form)
    assert "x" not in registry.KINDS
