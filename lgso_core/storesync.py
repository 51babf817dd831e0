"""The store judges each year's letters together, and again when what judges them changes.

``ingest_letters`` stores letters and then calls ``sync``, which keeps every current letter
of the store judged as one batch would judge it:

- **Templates from all the store's letters of a year.** A year with no built-in or saved
  template gets one derived from every current letter of that year the store holds (at
  least ``choice.MIN_DERIVE``), not only those of the current call; it is learned (kept
  beside the store), so ``lgso audit`` of one such letter later agrees.
- **Re-audits.** When a year's template is first derived or changes, or the tool's version
  changes, that year's stored letters are judged again from the paragraphs the store keeps
  (no original file is needed). The checks across letters (averages, ranks, types, changes
  since last year) then run over all current letters, so letters ingested one at a time
  end as they would have as one batch.
- **Alerts.** A letter whose year has no template is *held*: its paragraphs are not judged
  and no alert is queued until they can be. A letter judged for the first time with a
  unique paragraph, an error or an outlier gets one alert. When a re-audit changes the
  verdict of a letter already alerted, one reply is queued in its alert's thread saying
  what changed; never two for one verdict.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .audit import audit_letters, finish
from .choice import MIN_DERIVE, Choice, choose_templates, template_from_spec
from .derive import derive_template
from .errors import LgsoError, TemplateError
from .identify import find_authority, find_year
from .models import ExtractedStats, Letter, LetterAudit, Paragraph
from .reading import load_letter
from .stats import extract_stats
from .store import IngestResult, Reaudit, Store
from .template import Template, parse_template, shipped_templates
from .templatestore import TemplateStore
from .verdict import reply_text, verdict

VERSION = "version"


def tool_version() -> str:
    """The version re-audits are keyed on (a new release re-audits every stored letter)."""
    from . import __version__

    return __version__


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def paragraphs_json(letter: Letter) -> str:
    """A letter's paragraphs as the store keeps them."""
    return json.dumps([[p.text, p.page] for p in letter.paragraphs])


def _letter(sha: str, source: str, paragraphs: str) -> Letter:
    return Letter(source=source, sha256=sha,
                  paragraphs=tuple(Paragraph(text=t, page=p) for t, p in json.loads(paragraphs)))  # fmt: skip


# --------------------------------------------------------------------------- ingest


def ingest_letters(
    store: Store,
    letters: Sequence[Letter],
    *,
    alert_channel: str | None = None,
    template: str | None = None,
    kept: TemplateStore | None = None,
    extracted: Sequence[ExtractedStats] | None = None,
) -> tuple[list[LetterAudit], IngestResult]:
    """Store these letters (already screened: ``audit.screen``) and re-audit what they change.

    Returns each given letter's audit as stored, and what was done. ``template`` (a spec as
    for ``--template``) judges these letters against it, now and in later re-audits;
    ``extracted``: their statistics, when the caller has read them already.
    """
    kept = kept if kept is not None else TemplateStore()
    if template:
        template_from_spec(template, kept)  # a bad spec fails before anything is stored
    if extracted is None:
        extracted = [extract_stats(letter.paragraphs) for letter in letters]
    years = [find_year(letter.paragraphs, ex) for letter, ex in zip(letters, extracted, strict=True)]
    placeholders = audit_letters(list(letters), list(extracted), years, [Choice(None, y) for y in years])
    placed = store.ingest(placeholders)  # settles new / revised / unchanged; no alert yet
    store.keep_texts((letter.sha256, paragraphs_json(letter), template) for letter in letters)
    fresh = {x.sha256 for x in placed.letters if x.status != "unchanged"}
    at_hand = {letter.sha256: (letter, ex) for letter, ex in zip(letters, extracted, strict=True)}
    synced = sync(store, kept=kept, alert_channel=alert_channel, fresh=fresh, in_memory=at_hand)
    done = tuple(
        replace(x, alert_queued=x.sha256 in synced.alerted, alert_worthy=x.sha256 in synced.worthy,
                held=x.sha256 in synced.held)
        for x in placed.letters
    )  # fmt: skip
    stored = [synced.audits.get(x.sha256) or store.letter(x.sha256).audit for x in placed.letters]
    given = {x.sha256 for x in done}
    result = IngestResult(done, reaudited=len(synced.changed - given), replies_queued=synced.replies,
                          stale=synced.stale, reaudit_alerts=len(synced.alerted - given),
                          reaudit_worthy=len(synced.worthy - given))  # fmt: skip
    return stored, result


# --------------------------------------------------------------------------- sync


@dataclass
class Synced:
    """What one ``sync`` did."""

    audits: dict[str, LetterAudit]
    """The current letters' audits, by content hash (those re-made in this sync)."""
    changed: set[str]
    """Letters whose stored audit changed."""
    alerted: set[str]
    """Letters whose first alert was queued."""
    worthy: set[str]
    """Letters judged worth a first alert (queued only with a channel)."""
    held: set[str]
    """Letters with no template of their year: not judged, no alert."""
    replies: int = 0
    """Replies queued in alert threads."""
    stale: int = 0
    """Current letters whose text the store does not keep (not re-audited)."""


@dataclass
class _Year:
    template: Template | None
    key: str
    state: dict[str, str]


def sync(
    store: Store,
    *,
    kept: TemplateStore | None = None,
    alert_channel: str | None = None,
    fresh: Iterable[str] = (),
    in_memory: dict[str, tuple[Letter, ExtractedStats]] | None = None,
) -> Synced:
    """Judge the store's current letters as one batch would (see the module docstring).

    ``fresh``: content hashes just stored (their alerts are decided even when their audit
    is unchanged); ``in_memory``: letters the caller holds, with their statistics, so
    neither is read again.
    """
    kept = kept if kept is not None else TemplateStore()
    fresh, in_memory = set(fresh), dict(in_memory or {})
    version = tool_version()
    before = store.sync_state()
    index = store.current_index()
    unkept = [row for row in index if not row["kept"]]
    if unkept and (fresh or before.get(VERSION) != version) and _recover(store, unkept):
        index = store.current_index()
    if before.get(VERSION) not in (None, version) and _relabel(store, index, in_memory):
        index = store.current_index()  # a newer lgso reads some letters' year or authority anew
    state = {VERSION: version}
    by_year: dict[int | None, list] = defaultdict(list)
    for row in index:
        if row["kept"]:
            by_year[row["year"]].append(row)
    years = {y: _year_template(store, y, rows, kept, before, in_memory) for y, rows in by_year.items()}
    for y in years.values():
        state.update(y.state)
    wanted, pins = _wanted(index, years, kept, version)
    redo = [row for row in index if row["kept"] and row["base_key"] != wanted[row["sha256"]]]
    if not redo and not fresh and before == {**before, **state}:
        return Synced({}, set(), set(), set(), set())
    bases = _bases(store, redo, years, pins, kept, in_memory)
    change = Reaudit(bases=[(sha, a.model_dump_json(), wanted[sha]) for sha, a in bases.items()], state=state)
    current, stored = _current_bases(store, bases)
    finals = dict(zip(current, finish(list(current.values())), strict=True))
    synced = Synced(audits=finals, changed=set(), alerted=set(), worthy=set(), held=set(),
                    stale=sum(not row["kept"] for row in index))  # fmt: skip
    identities = {row["sha256"]: row["identity"] for row in index}
    for sha, audit in finals.items():
        text = audit.model_dump_json()
        if text != stored[sha]:
            change.audits.append(audit)
            synced.changed.add(sha)
        if sha in synced.changed or sha in fresh:
            old = LetterAudit.model_validate_json(stored[sha]) if sha not in fresh else None
            _decide_alerts(store, change, synced, audit, old, alert_channel, identities[sha])
    store.save_reaudit(change)
    return synced


def _wanted(index, years: dict, kept: TemplateStore, version: str) -> tuple[dict[str, str], dict]:
    """The key each kept letter's own audit must have been made with (tool version and
    template), and the ``--template`` of letters ingested with one."""
    pins: dict[str, tuple[Template | None, str]] = {}
    wanted: dict[str, str] = {}
    for row in index:
        if not row["kept"]:
            continue
        if row["template"]:
            pins.setdefault(row["template"], _pin(row["template"], kept))
            wanted[row["sha256"]] = f"{version}|pin:{pins[row['template']][1]}"
        else:
            wanted[row["sha256"]] = f"{version}|{years[row['year']].key}"
    return wanted, pins


def _relabel(store: Store, index, in_memory) -> int:
    """Read again the authority and year of every kept letter (after an upgrade); record
    those that changed. How many did."""
    kept_rows = [row for row in index if row["kept"]]
    texts = store.texts([row["sha256"] for row in kept_rows if row["sha256"] not in in_memory])
    stored = {row["sha256"]: row for row in store.bases_and_audits()}
    moved = []
    for row in kept_rows:
        sha = row["sha256"]
        letter, extracted = in_memory.get(sha) or (None, None)
        if letter is None:
            letter = _letter(sha, row["source"], texts[sha])
            extracted = extract_stats(letter.paragraphs)
        year, authority = find_year(letter.paragraphs, extracted), find_authority(letter.paragraphs)
        old = LetterAudit.model_validate_json(stored[sha]["audit"])
        if (year, authority) != (old.year, old.authority):
            moved.append(old.model_copy(update={"year": year, "authority": authority}))
    if moved:
        store.relabel(moved)
    return len(moved)


def _recover(store: Store, rows) -> int:
    """Keep the text of stored letters whose file is still where it was read (an older lgso
    kept no paragraphs); how many were found."""
    found = []
    for row in rows:
        path = Path(row["source"])
        try:
            letter = load_letter(path) if path.is_file() else None
        except (LgsoError, OSError):
            letter = None
        if letter is not None and letter.sha256 == row["sha256"]:
            found.append((row["sha256"], paragraphs_json(letter), None))
    if found:
        store.keep_texts(found)
    return len(found)


def _year_template(store, year, rows, kept, before, in_memory) -> _Year:
    """The template of ``year`` from all the store's current letters of it, and its key."""
    version = tool_version()
    if year is None:  # each letter is fitted to the built-in and kept templates
        known = [t.template.model_dump_json() for t in shipped_templates().values()]
        known += [kept.get(y).model_dump_json() for y in kept.years()]  # type: ignore[union-attr]
        return _Year(None, "fit:" + _digest("".join(known)), {})
    shipped = shipped_templates()
    if year in shipped:
        return _Year(shipped[year].template, _key(shipped[year].template), {})
    saved = kept.read(year)
    if saved is not None:
        return _Year(saved, _key(saved), {})
    learned = kept.read(year, learned=True)
    shas = sorted({row["sha256"] for row in rows})
    if len(shas) < MIN_DERIVE or (learned is not None and len(shas) <= learned.letters):
        return _Year(learned, _key(learned), {})
    inputs = _digest(f"{version}|" + ",".join(shas))
    slot = f"template:{year}"
    if before.get(f"inputs:{year}") == inputs and slot in before:
        template = parse_template(before[slot], f"the store's {year} template")
    else:
        texts = store.texts([s for s in shas if s not in in_memory])
        sources = {row["sha256"]: row["source"] for row in rows}
        letters = [in_memory[s][0] if s in in_memory else _letter(s, sources[s], texts[s]) for s in shas]
        template = derive_template(letters, name=str(year), year=year)
        try:
            kept.save(template, learned=True)
            template = kept.read(year, learned=True) or template
        except (TemplateError, OSError):
            pass  # still used, and kept in the store's state; `lgso template list` will not show it
    return _Year(template, _key(template), {f"inputs:{year}": inputs, slot: template.model_dump_json()})


def _key(template: Template | None) -> str:
    """What a template is, for deciding whether letters judged against it must be judged again."""
    return "none" if template is None else f"{template.source}:{_digest(template.model_dump_json())}"


def _pin(spec: str, kept: TemplateStore) -> tuple[Template | None, str]:
    """The ``--template`` a letter was ingested with (None when it can no longer be read)."""
    try:
        template = template_from_spec(spec, kept)
    except TemplateError:
        return None, "unreadable"
    return template, _key(template)


def _bases(store, rows, years, pins, kept, in_memory) -> dict[str, LetterAudit]:
    """Each letter's own audit, made again against its year's (or its pinned) template."""
    texts = store.texts([row["sha256"] for row in rows if row["sha256"] not in in_memory])
    read = {r["sha256"]: _letter(r["sha256"], r["source"], texts[r["sha256"]]) for r in rows
            if r["sha256"] not in in_memory}  # fmt: skip
    pairs = [in_memory.get(sha) or (read[sha], extract_stats(read[sha].paragraphs))
             for sha in (r["sha256"] for r in rows)]  # fmt: skip
    letters = [  # as stored: the same content found again elsewhere keeps its first source
        p[0] if p[0].source == r["source"] else p[0].model_copy(update={"source": r["source"]})
        for p, r in zip(pairs, rows, strict=True)
    ]
    extracted = [p[1] for p in pairs]
    found = [row["year"] for row in rows]
    choices = []
    for row, letter in zip(rows, letters, strict=True):
        pinned = pins.get(row["template"]) if row["template"] else None
        if pinned is not None and pinned[0] is not None:
            choices.append(Choice(pinned[0].compiled(), row["year"]))
        elif row["year"] is None:
            choices.append(choose_templates([letter], years=[None], kept=kept)[0])
        else:
            template = years[row["year"]].template
            choices.append(Choice(template.compiled() if template else None, row["year"]))
    audits = audit_letters(letters, extracted, found, choices)
    return {letter.sha256: audit for letter, audit in zip(letters, audits, strict=True)}


def _current_bases(store: Store, made: dict[str, LetterAudit]) -> tuple[dict[str, LetterAudit], dict]:
    """Every current letter's own audit (those just made, the rest as kept), and its stored audit."""
    current, stored = {}, {}
    for row in store.bases_and_audits():
        sha = row["sha256"]
        if sha in made:
            current[sha] = made[sha]
        elif row["base"] is not None:
            current[sha] = LetterAudit.model_validate_json(row["base"])
        else:
            continue  # text not kept: left as it was
        stored[sha] = row["audit"]
    return current, stored


# --------------------------------------------------------------------------- alerts


def _decide_alerts(store, change, synced, audit, old, channel, identity) -> None:
    sha = audit.sha256 or ""
    if audit.template is None and any(f.code == "no-template" for f in audit.findings):
        synced.held.add(sha)
        return  # its paragraphs are not judged yet: no alert, no reply
    now = verdict(audit)
    alerts = store.alert_state(sha)
    if not alerts:
        if now:  # without a channel it waits for one ('' until Store.assign_channel)
            synced.worthy.add(sha)
            change.alerts.append((sha, channel or "", int(store.was_revised(identity))))
            change.verdicts.append((sha, channel or "", now))
            synced.alerted.add(sha)
        return
    for ch, status, last in alerts:
        last = last if last is not None else (verdict(old) if old is not None else now)
        if last == now:
            continue
        change.verdicts.append((sha, ch, now))
        if status == "sent":  # a pending alert will show the new verdict when it is posted
            change.replies.append((sha, ch, now, reply_text(audit, old)))
            synced.replies += 1


__all__ = ["Synced", "ingest_letters", "paragraphs_json", "sync"]
