"""lgso_core: audit the Local Government and Social Care Ombudsman's annual review letters.

The public API::

    from lgso_core import audit_paths, audit_letter, load_letter, load_template

``audit_paths`` reads every letter under some paths and returns an ``AuditReport`` (the
JSON contract of ``lgso audit``); the CLI and the Slack bot both call it and hold no logic.
"""

from .audit import audit_letter, audit_paths, choose_templates, load_letter
from .derive import derive_template
from .errors import ConfigError, LetterReadError, LgsoError, StoreError, TemplateError
from .models import AuditReport, Deviation, Finding, Letter, LetterAudit, Severity, Stats
from .template import Template, load_template

__all__ = [
    "AuditReport",
    "ConfigError",
    "Deviation",
    "Finding",
    "Letter",
    "LetterAudit",
    "LetterReadError",
    "LgsoError",
    "Severity",
    "Stats",
    "StoreError",
    "Template",
    "TemplateError",
    "audit_letter",
    "audit_paths",
    "choose_templates",
    "derive_template",
    "load_letter",
    "load_template",
]
__version__ = "0.1.0"
