"""The committed JSON Schema matches the models, and the audit output validates against it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from lgso.cli import cli
from lgso_core.schema import schema_text

SCHEMA = Path("schema/audit.schema.json")


def test_committed_schema_is_generated_from_the_models():
    assert SCHEMA.read_text("utf-8") == schema_text(), (
        "schema/audit.schema.json is stale: python -m lgso_core.schema > schema/audit.schema.json"
    )


def test_audit_json_validates_against_the_schema(tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"not a pdf")
    result = CliRunner().invoke(cli, ["audit", "--format", "json", "tests/data/seeds", str(tmp_path)])
    document = json.loads(result.stdout)
    jsonschema.validate(document, json.loads(SCHEMA.read_text("utf-8")))
    assert len(document["letters"]) == 5 and len(document["errors"]) == 1


def test_schema_rejects_a_document_that_breaks_the_contract():
    schema = json.loads(SCHEMA.read_text("utf-8"))
    bad = {
        "template": {"source": "builtin:2020", "paragraphs": 36},
        "letters": [{"source": "x"}],
        "errors": [],
    }
    try:
        jsonschema.validate(bad, schema)
    except jsonschema.ValidationError as exc:
        assert "required property" in exc.message
    else:
        raise AssertionError("a letter without its contract fields validated")
