"""lgso_core never imports Slack's libraries; ``lgso bot`` runs as a real process."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from slackfake import (
    SEEDS,
    all_text,
    command_body,
    fake_slack_fixture,  # noqa: F401 (a fixture)
    post_signed,
    stop,
)

import lgso_core

CORE = Path(lgso_core.__file__).parent


def test_lgso_core_source_does_not_import_slack():
    for path in sorted(CORE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("slack_bolt", "slack_sdk")), f"{path.name} imports {name}"
                assert not name.startswith(("bot", "lgso.", "click")), f"{path.name} imports {name}"


def test_importing_lgso_core_loads_no_slack_module():
    code = (
        "import sys, lgso_core, lgso.cli, lgso_core.store, lgso_core.answer, lgso_core.lookup, "
        "lgso_core.ingest; print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('slack_bolt', 'slack_sdk', 'bot')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_lgso_bot_process_answers_signed_commands(fake_slack, tmp_path):
    db = tmp_path / "audits.sqlite3"
    env = {
        **os.environ,
        "LGSO_DB": str(db),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "test-signing-secret",
        "SLACK_API_URL": fake_slack.api_url,
        "LGSO_ALERT_CHANNEL": "",
    }
    env.pop("SLACK_APP_TOKEN", None)
    lgso = [sys.executable, "-c", "from lgso.cli import main; main()"]
    subprocess.run([*lgso, "ingest", str(SEEDS)], env=env, capture_output=True, timeout=120, check=True)
    proc = subprocess.Popen([*lgso, "bot", "--port", "0"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stderr.readline()]  # "lgso bot: listening on http://127.0.0.1:PORT/slack/events"
        assert "listening on http://127.0.0.1:" in lines[0], lines
        url = lines[0].split("listening on ")[1].strip()
        status, _ = post_signed(url, command_body("rutlnd", f"{fake_slack.url}/respond/1"))
        assert status == 200
        reply = fake_slack.wait_for("/respond/1")[0]
        assert "Rutland County Council (unitary, 2020)" in all_text(reply.body)
        status, _ = post_signed(url, command_body("rutlnd", f"{fake_slack.url}/respond/2"), secret="wrong")
        assert status == 401
    finally:
        stop(proc)
        proc.stderr.close()
