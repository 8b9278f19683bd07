"""What `migrate` writes into an empty database is what `restore` accepts as an empty installation
(core.backup.AUTOMATIC): a new data migration that seeds rows must be listed there, or restore
would refuse every fresh installation."""

import json

from tests.faults.conftest import app_env, python


def test_a_freshly_migrated_database_counts_as_empty_for_restore(sqlite_copy, tmp_path):
    env = app_env(f"sqlite:///{sqlite_copy}", tmp_path / "media")
    rows = json.loads(
        python(
            "import json\nfrom core.backup import installation_rows\nprint(json.dumps(installation_rows()))",
            env=env,
        )
    )
    assert rows and {label: count for label, count in rows.items() if count} == {}
