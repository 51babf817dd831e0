"""What ``/lgso ...`` and ``lgso show ...`` answer, as data; renderers only lay it out.

``ask(store, text)`` reads the query grammar shared by the slash command and the CLI:

    help                    what you can ask
    outliers [YEAR]         authorities with outlier or error findings
    deviations [YEAR]       authorities whose letters carry unique paragraphs
    NAME [YEAR]             one authority's letter (the latest, or that year's)

and returns one of the answer models below. ``render_text`` lays any of them out for the
terminal; ``bot.blocks`` lays them out as Slack Block Kit.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .figures import day, rate_basis, rate_test
from .headline import headline
from .links import statistics_url
from .lookup import find_authority
from .models import LEADING_CODES, Finding, LetterAudit, Severity, ordered_findings
from .mutes import Acknowledgement, Mute, MuteBook, news_topics
from .present import count, number, percent, title, topics
from .store import Store, StoredLetter, content_hash, letter_key

YEAR = re.compile(r"^(?:19|20)\d\d$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- models


class RateLine(_Frozen):
    """One statistics block: the rate, the similar-authority average, the counts behind it."""

    block: Literal["upheld", "compliance", "remedy"] = Field(description="Which block of stats.")
    label: str = Field(description="'Complaints upheld', ...")
    rate: float | None = Field(description="The authority's rate, percent.")
    average: float | None = Field(description="The similar-authority average, percent (null if n/a).")
    counts: str = Field(description="The counts behind the rate, e.g. '4 of 7 investigations upheld'.")
    outlier: bool = Field(default=False, description="An outlier finding is about this block.")
    error: bool = Field(default=False, description="An error finding is about this block.")
    verdict: str = Field(default="", description="The outlier test's verdict given the counts: "
                         "'outlier: -35 points, 99% interval ..., p < 0.0001', 'within chance: ...', "
                         "or '' when the letter lacks the counts or the average.")  # fmt: skip

    @property
    def rate_text(self) -> str:
        return percent(self.rate)

    @property
    def average_text(self) -> str:
        return percent(self.average)

    @property
    def difference(self) -> str:
        """'10 points below average', 'at average', or '' when either figure is missing."""
        if self.rate is None or self.average is None:
            return ""
        diff = self.rate - self.average
        if diff == 0:
            return "at average"
        return (
            f"{abs(diff):g} point{'s' if abs(diff) != 1 else ''} {'above' if diff > 0 else 'below'} average"
        )


class Quote(_Frozen):
    """A unique paragraph of the letter, its topic tags and its tone."""

    text: str
    tags: list[str] = Field(default_factory=list)
    tone: str = Field(default="information", description="concern, praise or information.")


class YearEntry(_Frozen):
    """Another letter of the same authority in the store."""

    year: int | None
    unique: int
    errors: int
    outliers: int


class AuthorityAnswer(_Frozen):
    """One authority's letter: figures, findings (errors first), unique paragraphs quoted."""

    kind: Literal["authority"] = "authority"
    query: str = Field(default="", description="What was typed.")
    authority: str = Field(description="The authority, as its letter names it.")
    authority_key: str | None = None
    authority_type: str | None = None
    year: int | None = None
    source: str = Field(description="The letter file the audit came from (a path: terminal use only).")
    file_name: str = Field(default="", description="The letter's file name, without its folder.")
    date: str | None = Field(default=None, description="The date the letter bears, e.g. '22 July 2020'.")
    period: str | None = Field(default=None, description="The statistics period, "
                               "'1 April 2019 to 31 March 2020'.")  # fmt: skip
    link: str | None = Field(
        default=None, description="The council's statistics page on the Ombudsman's site."
    )
    sha256: str
    ingested_at: str | None = None
    rates: list[RateLine] = Field(default_factory=list, description="Empty when the letter has no stats.")
    per_100k: str | None = Field(default=None, description="Upheld decisions per 100,000 residents.")
    findings: list[Finding] = Field(default_factory=list, description="Errors first; unique paragraphs "
                                    "are quoted in `unique` rather than repeated here.")  # fmt: skip
    unique: list[Quote] = Field(default_factory=list, description="Concerns first, then the rest.")
    topics: list[str] = Field(default_factory=list)
    other_years: list[YearEntry] = Field(default_factory=list, description="The authority's other letters.")
    replaced: int = Field(default=0, description="Earlier versions of this letter that it replaced.")


class Choice(_Frozen):
    name: str
    authority_type: str | None = None


class ChoicesAnswer(_Frozen):
    """Several authorities match about equally well."""

    kind: Literal["choices"] = "choices"
    query: str
    choices: list[Choice]
    more: int = 0


class NotFoundAnswer(_Frozen):
    """Nothing matches (or the store is empty, or the authority has no letter that year)."""

    kind: Literal["not_found"] = "not_found"
    query: str
    reason: str = Field(description="One readable sentence.")
    suggestions: list[str] = Field(default_factory=list)


class ListingRow(_Frozen):
    authority: str
    authority_type: str | None
    year: int | None
    summary: str = Field(description="'1 error (rate-mismatch); outlier: upheld.rate' and the like.")


class ListingAnswer(_Frozen):
    """``outliers`` or ``deviations``: the authorities whose letters call for a look."""

    kind: Literal["outliers", "deviations"]
    year: int | None = Field(description="The year listed; null lists every year.")
    rows: list[ListingRow]
    years: list[int] = Field(default_factory=list, description="Years in the store, latest first.")


class HelpAnswer(_Frozen):
    """What can be asked; ``problem`` says what was wrong with the question, if anything."""

    kind: Literal["help"] = "help"
    problem: str | None = None
    commands: list[tuple[str, str]] = Field(default_factory=lambda: list(COMMANDS))


Answer = AuthorityAnswer | ChoicesAnswer | NotFoundAnswer | ListingAnswer | HelpAnswer

COMMANDS = (
    ("NAME [YEAR]", "one authority's letter: its figures against similar authorities, "
                    "findings and unique paragraphs (latest year unless given)"),
    ("outliers [YEAR]", "authorities with outlier or error findings"),
    ("deviations [YEAR]", "authorities whose letters carry paragraphs of their own"),
    ("help", "this list"),
)  # fmt: skip


# --------------------------------------------------------------------------- asking


def ask(store: Store, text: str) -> Answer:
    """Answer one query (see the module docstring)."""
    words = (text or "").split()
    if not words or words[0].lower() in ("help", "-h", "--help", "?"):
        return HelpAnswer()
    head = words[0].lower()
    if head in ("outliers", "deviations") and len(words) <= 2:
        if len(words) == 2 and not YEAR.match(words[1]):
            return HelpAnswer(problem=f"{head} takes a year such as 2020; got {words[1]!r}")
        return listing(store, head, int(words[1]) if len(words) == 2 else None)
    year = int(words.pop()) if len(words) > 1 and YEAR.match(words[-1]) else None
    return authority(store, " ".join(words), year)


def authority(store: Store, query: str, year: int | None = None) -> Answer:
    """The letter of the authority ``query`` names (of ``year``, else its latest)."""
    if not store.count():
        return NotFoundAnswer(query=query, reason="The store holds no letters yet (run `lgso ingest`).")
    match = find_authority(store, query)
    if match.choices:
        return ChoicesAnswer(query=query, more=match.more,
                             choices=[Choice(name=c.name, authority_type=c.authority_type)
                                      for c in match.choices])  # fmt: skip
    if match.found is None:
        return NotFoundAnswer(query=query, reason=f"No authority in the store matches {query!r}.",
                              suggestions=[c.name for c in match.suggestions])  # fmt: skip
    stored = store.current(match.found.key, year)
    if stored is None:
        held = sorted(y.year for y in store.history(match.found.key) if y.year)
        return NotFoundAnswer(query=query, reason=f"No {year} letter for {match.found.name} in the store "
                              f"(years held: {_years(held)}).")  # fmt: skip
    return letter_answer(store, stored, query=query)


def letter_answer(store: Store | None, stored: StoredLetter, *, query: str = "") -> AuthorityAnswer:
    """The answer for one stored letter, with the authority's other years when ``store`` is given."""
    others, replaced = [], 0
    if store is not None and stored.authority_key:
        for row in store.history(stored.authority_key, current_only=False):
            if row.current and row.id != stored.id:
                others.append(YearEntry(year=row.year, unique=row.n_unique, errors=row.n_errors,
                                        outliers=row.n_outliers))  # fmt: skip
            elif not row.current and row.year == stored.year:
                replaced += 1
    return audit_answer(stored.audit, query=query, ingested_at=stored.ingested_at,
                        other_years=others, replaced=replaced)  # fmt: skip


def audit_answer(audit: LetterAudit, **extra) -> AuthorityAnswer:
    """The answer for one letter's audit (``extra``: query, ingested_at, other_years, replaced)."""
    findings = ordered_findings(f for f in audit.findings if f.code != "unique-paragraph")
    quotes = [Quote(text=d.text, tags=d.tags, tone=d.tone) for d in audit.deviations if d.kind == "unique"]
    quotes.sort(key=lambda q: TONE_ORDER.get(q.tone or "", 1))
    name = file_name(audit.source)
    return AuthorityAnswer(
        authority=audit.authority or f"Unknown authority ({name})",
        authority_key=letter_key(audit.authority), authority_type=audit.authority_type,
        year=audit.year, source=audit.source, file_name=name, date=_letter_date(audit),
        period=_period(audit), link=statistics_url(audit.authority), sha256=content_hash(audit),
        rates=rate_lines(audit), per_100k=_per_100k(audit), findings=findings,
        unique=quotes, topics=topics(audit), **extra,
    )  # fmt: skip


TONE_ORDER = {"concern": 0, "information": 1, "praise": 2}
"""How an answer orders a letter's own paragraphs: concerns first."""


def file_name(source: str) -> str:
    """The last part of a letter's source path: what a reader elsewhere may be shown."""
    return PurePath(source.replace("\\", "/")).name or source


def _letter_date(audit: LetterAudit) -> str | None:
    return day(audit.date) if audit.date else None


def _period(audit: LetterAudit) -> str | None:
    period = audit.stats.period if audit.stats else None
    if period is None or (period.start is None and period.end is None):
        return None
    return f"{day(period.start) if period.start else '?'} to {day(period.end) if period.end else '?'}"


def _years(years: list[int]) -> str:
    return ", ".join(str(y) for y in years) or "none"


def rate_lines(audit: LetterAudit) -> list[RateLine]:
    """Each statistics block as a RateLine, flagged where a finding is about it."""
    if audit.stats is None:
        return []
    flagged = {"outlier": set(), "error": set()}
    for f in audit.findings:
        block = (f.field or "").split(".")[0]
        if f.code == "outlier":
            flagged["outlier"].add(block)
        elif f.severity == Severity.ERROR:
            flagged["error"].add(block)
    u, c, r = audit.stats.upheld, audit.stats.compliance, audit.stats.remedy
    _, base, _ = rate_basis(audit.stats, "remedy")
    lines = [
        ("upheld", "Complaints upheld", u.rate, u.average,
         f"{number(u.decisions)} of {count(u.investigations, 'investigation')} upheld"),
        ("compliance", "Compliance with recommendations", c.rate, c.average,
         count(c.outcomes, "compliance outcome")),
        ("remedy", "Satisfactory remedies", r.rate, r.average,
         f"{number(r.decisions)} of {count(base, 'upheld decision')}"),
    ]  # fmt: skip
    return [RateLine(block=b, label=label, rate=rate, average=avg, counts=counts,
                     outlier=b in flagged["outlier"], error=b in flagged["error"],
                     verdict=_verdict(audit, b))
            for b, label, rate, avg, counts in lines]  # fmt: skip


def _verdict(audit: LetterAudit, block: str) -> str:
    """The exact test of the block's counts against its average, as one phrase ('' if untestable)."""
    if block == "compliance" or audit.stats is None:
        return ""
    test = rate_test(audit.stats, block)
    if test is None:
        return ""
    return f"{'outlier' if test.is_outlier else 'within chance'}: {test.describe()}"


def _per_100k(audit: LetterAudit) -> str | None:
    u = audit.stats.upheld if audit.stats else None
    if u is None or u.per_100k is None:
        return None
    return f"{u.per_100k:g} upheld decisions per 100,000 residents (average {number(u.per_100k_average)})"


def listing(
    store: Store, kind: Literal["outliers", "deviations"], year: int | None = None
) -> ListingAnswer | NotFoundAnswer:
    """The authorities with outlier/error findings or unique paragraphs, of ``year`` or the latest."""
    years = store.years()
    if year is None and years:
        year = years[0]
    if not store.count():
        return NotFoundAnswer(query=kind, reason="The store holds no letters yet (run `lgso ingest`).")
    if year is not None and year not in years:
        return NotFoundAnswer(query=f"{kind} {year}", reason=f"No {year} letters in the store "
                              f"(years held: {_years(sorted(years))}).")  # fmt: skip
    flagged = store.flagged(kind, year)
    if kind == "outliers":
        flagged.sort(key=lambda r: (r.n_errors == 0, r.authority or r.source, -(r.year or 0)))
    rows = [ListingRow(authority=r.authority or r.source, authority_type=r.authority_type, year=r.year,
                       summary=_listing_summary(kind, r))
            for r in flagged]  # fmt: skip
    return ListingAnswer(kind=kind, year=year, rows=rows, years=years)


def _listing_summary(kind: str, r: StoredLetter) -> str:
    if kind == "deviations":  # the store keeps headline.about(audit): the lead tone, then its topics
        count = _plural(r.n_unique, "unique paragraph")
        return f"{', '.join(r.topics)} ({count})" if r.topics else count
    parts = []
    if r.n_errors:
        parts.append(f"{_plural(r.n_errors, 'error')} ({', '.join(r.error_codes)})")
    if r.n_outliers:
        parts.append(f"{_plural(r.n_outliers, 'outlier')} ({', '.join(r.outlier_fields) or 'see letter'})")
    return "; ".join(parts)


# --------------------------------------------------------------------------- alerts


def alert_headline(audit: LetterAudit, *, revised: bool = False) -> str:
    """The Slack alert's headline: ``headline.headline``, led by the unique paragraphs' tone."""
    return headline(audit, revised=revised)


class AlertCard(_Frozen):
    """An alert as its Slack message shows it now: the headline, and who did what about it."""

    alert_id: int
    headline: str
    authority: str | None
    year: int | None
    topics: list[str] = Field(description="The news topics it can be muted by, the lead one first.")
    file_name: str
    link: str | None = None
    status: str = Field(description="The alert's delivery status: pending, sent or muted.")
    acknowledged: Acknowledgement | None = None
    mutes: list[Mute] = Field(default_factory=list, description="Mutes in force over its topics.")


def alert_card(store: Store, alert_id: int) -> AlertCard | None:
    """The card of a queued alert (None when no such alert is held)."""
    rows = store.query("SELECT sha256, revised, status FROM alerts WHERE id = ?", (alert_id,))
    stored = store.letter(rows[0]["sha256"]) if rows else None
    if stored is None:
        return None
    audit = stored.audit
    book = MuteBook(store)
    news = news_topics(audit)
    key = stored.authority_key or ""
    mutes = [m for m in book.mutes() if m.topic in news and m.authority_key in ("", key)]
    return AlertCard(
        alert_id=alert_id, headline=alert_headline(audit, revised=bool(rows[0]["revised"])),
        authority=audit.authority, year=audit.year, topics=news, file_name=file_name(audit.source),
        link=statistics_url(audit.authority), status=rows[0]["status"],
        acknowledged=book.acknowledgement(alert_id), mutes=mutes,
    )  # fmt: skip


# --------------------------------------------------------------------------- terminal


def render_text(answer: Answer) -> str:
    """The answer laid out for a terminal (plain text, one trailing newline)."""
    lines: list[str]
    if isinstance(answer, AuthorityAnswer):
        lines = _authority_text(answer)
    elif isinstance(answer, ChoicesAnswer):
        lines = [f"Several authorities match {answer.query!r}; which one?"]
        lines += [
            f"  {c.name}" + (f" ({c.authority_type})" if c.authority_type else "") for c in answer.choices
        ]
        if answer.more:
            lines.append(f"  … and {answer.more} more: type more of the name.")
    elif isinstance(answer, NotFoundAnswer):
        lines = [answer.reason]
        if answer.suggestions:
            lines.append(f"Did you mean: {', '.join(answer.suggestions)}?")
    elif isinstance(answer, ListingAnswer):
        lines = [listing_title(answer)]
        lines += [f"  {r.authority} ({r.year}): {r.summary}" for r in answer.rows] or ["  none"]
    else:
        lines = [f"Error: {answer.problem}", ""] if answer.problem else []
        lines += ["Ask about:"] + [f"  {usage:<20} {text}" for usage, text in answer.commands]
    return "\n".join(lines) + "\n"


def listing_title(answer: ListingAnswer) -> str:
    """'Outliers and errors, 2020: 3 authorities' and the like."""
    what = "Outliers and errors" if answer.kind == "outliers" else "Unique paragraphs"
    when = f", {answer.year}" if answer.year else ""
    return f"{what}{when}: {_plural(len(answer.rows), 'authority', 'authorities')}"


def heading(answer: AuthorityAnswer) -> str:
    """'Rotherham Metropolitan Borough Council (metropolitan, 2020)', as the report titles it."""
    return title(answer)


def _authority_text(a: AuthorityAnswer) -> list[str]:
    dated = "".join(x for x in (a.date and f", dated {a.date}", a.period and f"; statistics {a.period}") if x)
    lines = [heading(a), f"  letter: {a.source}{dated}"]
    if a.replaced:
        lines.append(f"  replaces {_plural(a.replaced, 'earlier version')} of this letter")
    lead = [f for f in a.findings if f.code in LEADING_CODES]  # says how to read the rest
    lines += [f"  {f.severity.value:<7} {f.code}: {f.message}" for f in lead]
    if not a.rates:
        lines.append("  No statistics in this letter.")
    for r in a.rates:
        flag = " [outlier]" if r.outlier else (" [error]" if r.error else "")
        diff = f", {r.difference}" if r.difference else ""
        lines.append(f"  {r.label}: {r.rate_text} (similar authorities {r.average_text}{diff}); "
                     f"{r.counts}{flag}")  # fmt: skip
        if r.verdict:
            lines.append(f"    {r.verdict}")
    if a.per_100k:
        lines.append(f"  {a.per_100k}")
    for f in a.findings:
        if f in lead:
            continue
        where = f" [{f.field}]" if f.field else ""
        lines.append(f"  {f.severity.value:<7} {f.code}{where}: {f.message}")
    for q in a.unique:
        tags = f" [{', '.join(q.tags)}]" if q.tags else ""
        lines.append(f"  unique {q.tone}{tags}: “{q.text}”")
    if a.other_years:
        lines.append("  Other years: " + ", ".join(str(y.year) for y in a.other_years))
    if a.link:
        lines.append(f"  The Ombudsman's page: {a.link}")
    return lines


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"
