"""The default phase model seeded for every organisation (docs/domain.md §3); the org admin edits it."""

# (name, expected months): expectations rise until they match a regular job at the end of 5 years.
DEFAULT_PHASES = (
    ("Wennen aan werk", 6),
    ("Werken aan werk", 30),
    ("Werken aan doorstroom", 24),
)


def seed_default_phases(phase_model, organisation_id) -> None:
    """Idempotent: an organisation that already has phases keeps its own."""
    if phase_model.objects.filter(organisation_id=organisation_id).exists():
        return
    phase_model.objects.bulk_create(
        phase_model(organisation_id=organisation_id, name=name, order=i, expected_months=months)
        for i, (name, months) in enumerate(DEFAULT_PHASES, start=1)
    )
