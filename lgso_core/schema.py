"""The JSON Schema of ``lgso audit --format json``, generated from the pydantic models.

Regenerate the committed copy with::

    python -m lgso_core.schema > schema/audit.schema.json
"""

from __future__ import annotations

import json

from .models import AuditReport


def audit_schema() -> dict:
    """JSON Schema (draft 2020-12) of the audit document."""
    schema = AuditReport.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    return json.dumps(audit_schema(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
