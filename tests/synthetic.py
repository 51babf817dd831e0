"""Synthetic audits for store, answer and bot tests: built directly, no letters read."""

from __future__ import annotations

import hashlib
from pathlib import Path

from lgso_core.authorities import load_authorities
from lgso_core.models import (
    ComplianceStats,
    Deviation,
    Finding,
    LetterAudit,
    Period,
    RemedyStats,
    Severity,
    Stats,
    UpheldStats,
)

SEEDS = Path(__file__).parent / "data" / "seeds"


def written_name(name: str, kind: str) -> str:
    """A council's name as a letter would address it."""
    return {
        "county": f"{name} County Council",
        "district": f"{name} District Council",
        "metropolitan": f"{name} Metropolitan Borough Council",
        "unitary": f"{name} Council",
        "london": f"London Borough of {name}",
    }[kind]


def make_audit(
    authority: str | None = "Rotherham Metropolitan Borough Council",
    year: int | None = 2020,
    *,
    kind: str | None = "metropolitan",
    unique: list[str] = (),
    findings: list[Finding] = (),
    source: str | None = None,
    salt: str = "",
    stats: Stats | None = None,
) -> LetterAudit:
    """A LetterAudit; its sha256 depends on every argument, so equal inputs are one content."""
    devs = [
        Deviation(
            kind="unique", text=t, template=None, score=10.0, tags=["enquiry responses"], tone="concern"
        )
        for t in unique
    ]
    found = [
        *findings,
        *(
            Finding(
                code="unique-paragraph",
                severity=Severity.WARNING,
                message=f"Paragraph not in the template: {t[:40]}",
            )
            for t in unique
        ),
    ]
    found.sort(key=lambda f: -f.severity.rank)
    if stats is None:
        stats = Stats(
            upheld=UpheldStats(rate=57, average=67, decisions=4, investigations=7),
            compliance=ComplianceStats(rate=100, average=100, outcomes=3),
            remedy=RemedyStats(rate=0, average=11, decisions=0, investigations=7),
            period=Period(),
        )
    body = repr((authority, year, kind, list(unique), [f.model_dump() for f in findings], salt))
    sha = hashlib.sha256(body.encode()).hexdigest()
    return LetterAudit(
        source=source or f"letters/{(authority or 'unknown').lower().replace(' ', '-')}-{year}.txt",
        authority=authority,
        authority_type=kind,
        year=year,
        stats=stats,
        deviations=devs,
        findings=found,
        template="builtin:2020",
        sha256=sha,
    )


def error(code: str = "rate-mismatch", field: str | None = "upheld.rate") -> Finding:
    return Finding(code=code, severity=Severity.ERROR, message=f"{code} in {field}", field=field)


def outlier(field: str = "upheld.rate") -> Finding:
    return Finding(
        code="outlier", severity=Severity.WARNING, message=f"{field} far from average", field=field
    )


def many_audits(n: int = 4000) -> list[LetterAudit]:
    """``n`` audits over every listed council and as many years as it takes."""
    councils = load_authorities()
    audits = []
    year = 2010
    while len(audits) < n:
        for c in councils:
            if len(audits) >= n:
                break
            findings = [outlier()] if (len(audits) % 17 == 0) else []
            unique = ["A paragraph of its own."] if len(audits) % 11 == 0 else []
            audits.append(make_audit(written_name(c.name, c.type), year, kind=c.type,
                                     findings=findings, unique=unique))  # fmt: skip
        year += 1
    return audits
