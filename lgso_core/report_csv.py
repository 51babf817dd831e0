"""An ``AuditReport`` -> CSV for spreadsheets: one row per letter, or one per deviation.

Every text cell that a spreadsheet would run as a formula (one starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) gets a leading apostrophe: letters and file
names are untrusted. Numbers are written as numbers; a value the letter does not state is
an empty cell.
"""

from __future__ import annotations

import csv
import io
import typing
from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel

from .figures import decimal_places, get, rate_basis, rate_test
from .headline import tone_topics
from .models import AuditReport, Deviation, LetterAudit, Stats


def _figure_paths() -> tuple[str, ...]:
    """Every figure of ``Stats`` as a dotted path ('upheld.rate', 'period.start', ...), in the
    model's order, so a block added to the model gets its columns here too."""
    paths = []
    for block, info in Stats.model_fields.items():
        model = next(t for t in (info.annotation, *typing.get_args(info.annotation)) if _is_model(t))
        paths += [f"{block}.{name}" for name in model.model_fields]
    return tuple(paths)


def _is_model(t) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


FIGURES = _figure_paths()
"""Every figure of ``Stats``, as a dotted path (the column's name)."""
TESTED = ("upheld", "remedy")
"""The blocks whose rate is tested against its average (compliance has no stated count)."""

LETTER_COLUMNS = (
    "source", "authority", "authority_type", "year", "status", "template",
    *FIGURES, "remedy.base",
    *(f"{b}.{x}" for b in TESTED for x in ("p_value", "interval_low", "interval_high")),
    "unique", "changed", "missing", "errors", "warnings", "info", "outliers", "codes",
    "tone", "topics", "error",
)  # fmt: skip
"""The columns of ``--format csv``: one row per letter, then one per unreadable file."""

PARAGRAPH_COLUMNS = (
    "source", "authority", "authority_type", "year", "deviation", "kind", "tone", "tags",
    "score", "text", "template", "diff",
)  # fmt: skip
"""The columns of ``--format csv-paragraphs``: one row per deviation (``deviation`` numbers
them within their letter, from 1)."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A cell a spreadsheet will not run as a formula; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _write(columns: tuple[str, ...], rows: Iterable[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def unique_tones(audit: LetterAudit) -> list[str]:
    """The tones of the letter's unique paragraphs, concern first (``headline.tone_topics``)."""
    return [tone for tone, _ in tone_topics(d for d in audit.deviations if d.kind == "unique")]


def unique_topics(audit: LetterAudit) -> list[str]:
    """What the letter's unique paragraphs are about, in the headline's order: the topics of
    its concerns first, then of its praise, then the rest."""
    groups = tone_topics(d for d in audit.deviations if d.kind == "unique")
    return list(dict.fromkeys(tag for _, tags in groups for tag in tags))


def _figures(audit: LetterAudit) -> list:
    stats = audit.stats
    if stats is None:
        return [None] * (len(FIGURES) + 1 + 3 * len(TESTED))
    values = [_figure(stats, f) for f in FIGURES]
    values = [v.isoformat() if hasattr(v, "isoformat") else v for v in values]
    values.append(rate_basis(stats, "remedy")[1])
    for block in TESTED:
        test = rate_test(stats, block, decimal_places(get(stats, f"{block}.rate")))
        if test is None:
            values += [None, None, None]
        else:
            values += [float(f"{test.p_value:.4g}"), round(100 * test.low, 1), round(100 * test.high, 1)]
    return values


def _figure(stats: Stats, path: str):
    """The figure at a dotted path, or None when its block is absent."""
    block, name = path.split(".")
    return getattr(getattr(stats, block), name, None) if getattr(stats, block) is not None else None


def letter_row(audit: LetterAudit) -> list:
    """One letter's row of ``LETTER_COLUMNS``."""
    kinds = Counter(d.kind for d in audit.deviations)
    sev = Counter(f.severity.value for f in audit.findings)
    return [
        audit.source, audit.authority, audit.authority_type, audit.year, "audited", audit.template,
        *_figures(audit),
        kinds["unique"], kinds["changed"], kinds["missing"], sev["error"], sev["warning"], sev["info"],
        sum(f.code == "outlier" for f in audit.findings),
        " ".join(sorted({f.code for f in audit.findings})),
        "; ".join(unique_tones(audit)), "; ".join(unique_topics(audit)), None,
    ]  # fmt: skip


def render_csv(report: AuditReport) -> str:
    """One row per letter with every figure, the findings counted, the codes, tone and topics."""
    rows = [letter_row(a) for a in report.letters]
    blank = [None] * (len(LETTER_COLUMNS) - 6)
    rows += [[err.source, None, None, None, "unreadable", *blank, err.error] for err in report.errors]
    return _write(LETTER_COLUMNS, rows)


def _diff(dev: Deviation) -> str | None:
    """A changed paragraph's word diff as text: '[-removed-] {+added+}'."""
    if not dev.diff:
        return None
    wrap = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return " ".join(wrap[op.op].format(op.text) for op in dev.diff)


def render_csv_paragraphs(report: AuditReport) -> str:
    """One row per deviation (unique, changed, missing) of every letter."""
    rows = [
        [
            a.source,
            a.authority,
            a.authority_type,
            a.year,
            n,
            d.kind,
            d.tone,
            "; ".join(d.tags),
            round(d.score, 1),
            d.text,
            d.template,
            _diff(d),
        ]
        for a in report.letters
        for n, d in enumerate(a.deviations, start=1)
    ]
    return _write(PARAGRAPH_COLUMNS, rows)
