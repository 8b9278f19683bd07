"""The decisions' default workflow, as OpenSlides' simple motion workflow: draft -> proposed ->
adopted, rejected or withdrawn (a draft may also be withdrawn). Adopting gives the number.

Seeded by migration 0002, and again on first use when a database was emptied after migrating (a
test flush): `workflow_seed` is idempotent and takes the model so the migration can pass its own.
"""

STATES = [
    # code, English, French, position, numbers, final, initial, next states
    ("draft", "Draft", "Projet", 1, False, False, True, ["proposed", "withdrawn"]),
    (
        "proposed",
        "Proposed",
        "Proposée",
        2,
        False,
        False,
        False,
        ["adopted", "rejected", "withdrawn", "draft"],
    ),
    ("adopted", "Adopted", "Adoptée", 3, True, True, False, []),
    ("rejected", "Rejected", "Rejetée", 4, False, True, False, []),
    ("withdrawn", "Withdrawn", "Retirée", 5, False, True, False, []),
]


def workflow_seed(DecisionState) -> None:  # noqa: N803 - a model class, historical in migrations
    states = {}
    for code, name_en, name_fr, position, numbers, is_final, is_initial, _next in STATES:
        states[code], _created = DecisionState.objects.update_or_create(
            code=code,
            defaults={
                "name_en": name_en,
                "name_fr": name_fr,
                "position": position,
                "numbers": numbers,
                "is_final": is_final,
                "is_initial": is_initial,
            },
        )
    for code, *_rest, following in STATES:
        states[code].next_states.set([states[name] for name in following])
