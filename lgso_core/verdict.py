"""What an alert announces about a letter (its verdict), and the reply when a re-audit
changes it.

A verdict is the letter's unique paragraphs, error codes and outlier fields: what makes a
letter worth an alert (``store.alert_reasons``). The store records the verdict each alert
last announced, so a re-audit that changes it gets one reply in the alert's thread, and one
that does not change it gets none.
"""

from __future__ import annotations

from .models import LetterAudit, Severity
from .present import count
from .store import alert_reasons


def _reasons(audit: LetterAudit) -> tuple[dict[str, int], list[str], list[str]]:
    """Its alert reasons, error codes and outlier fields."""
    errors = sorted({f.code for f in audit.findings if f.severity == Severity.ERROR})
    outliers = sorted({f.field or "?" for f in audit.findings if f.code == "outlier"})
    return alert_reasons(audit), errors, outliers


def verdict(audit: LetterAudit) -> str:
    """What an alert announces about a letter: '' when nothing, else its unique paragraphs,
    error codes and outlier fields ('unique 1; errors rate-mismatch; outliers upheld.rate')."""
    reasons, errors, outliers = _reasons(audit)
    if not any(reasons.values()):
        return ""
    shown = [f"unique {reasons['unique']}", f"errors {' '.join(errors) or '-'}",
             f"outliers {' '.join(outliers) or '-'}"]  # fmt: skip
    return "; ".join(shown)


def describe(audit: LetterAudit) -> str:
    """'1 unique paragraph, 1 error (rate-mismatch), 1 outlier (upheld.rate)'."""
    reasons, errors, outliers = _reasons(audit)
    parts = [count(reasons["unique"], "unique paragraph")] if reasons["unique"] else []
    if errors:
        parts.append(f"{count(reasons['errors'], 'error')} ({', '.join(errors)})")
    if outliers:
        parts.append(f"{count(reasons['outliers'], 'outlier')} ({', '.join(outliers)})")
    return ", ".join(parts) or "nothing to report"


def reply_text(new: LetterAudit, old: LetterAudit | None) -> str:
    """The thread reply for a changed verdict."""
    against = f"the {new.template} template" if new.template else "no template"
    was = f"; was {describe(old)}" if old is not None else ""
    return f"Re-audited against {against}: now {describe(new)}{was}."
