"""The held-for-review migration: flagged answers the room has not seen yet are held; what a
past meeting already showed stays shown."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from app.db import make_engine
from tests.migrations.test_migrations import _config

BEFORE = "b1c4e9a2d7f0"


def test_flagged_answers_on_unrevealed_prompts_are_held(database_url: str) -> None:
    config = _config(database_url)
    command.upgrade(config, BEFORE)
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    'INSERT INTO "user" (id, email, password_hash, created_at) '
                    "VALUES (1, 'a@example.nl', 'x', CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO workshop (id, title, deck_slug, kind, school_year, owner_id, "
                    "join_code, status, seq, created_at) VALUES (1, 'Oud', 'd', 'regional', "
                    "'2025-2026', 1, 'ABC2345', 'running', 0, CURRENT_TIMESTAMP)"
                )
            )
            for prompt_id, revealed in ((1, True), (2, False)):
                conn.execute(
                    text(
                        "INSERT INTO workshopprompt (id, workshop_id, position, theme_number, "
                        "theme_title, deck_prompt_id, text, kind, source, is_wie_aan_zet, phase, "
                        "revealed) "
                        f"VALUES ({prompt_id}, 1, {prompt_id}, 1, 'T', 'p{prompt_id}', 'Vraag', "
                        f"'open', 'deck', false, 'closed', {'true' if revealed else 'false'})"
                    )
                )
            conn.execute(
                text(
                    "INSERT INTO participant (id, workshop_id, token_hash, domain, joined_at, "
                    "connections) VALUES (1, 1, 'h', 'anders', CURRENT_TIMESTAMP, 0)"
                )
            )
            rows = [(1, 1, "phone"), (2, 2, "phone"), (3, 2, None)]
            for answer_id, prompt_id, reasons in rows:
                flag = "NULL" if reasons is None else f"'{reasons}'"
                conn.execute(text(
                    "INSERT INTO answer (id, workshop_id, prompt_id, participant_id, "
                    "idempotency_key, text, hidden, withdrawn, pii_reasons, created_at, "
                    f"updated_at) VALUES ({answer_id}, 1, {prompt_id}, 1, 'k{answer_id}', 'x', "
                    f"false, false, {flag}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ))  # fmt: skip
        command.upgrade(config, "head")
        with engine.connect() as conn:
            held = dict(conn.execute(text("SELECT id, held FROM answer ORDER BY id")).all())
        # Shown before (revealed prompt): stays shown. Not yet seen: held. Unflagged: not held.
        assert {k: bool(v) for k, v in held.items()} == {1: False, 2: True, 3: False}
    finally:
        engine.dispose()
