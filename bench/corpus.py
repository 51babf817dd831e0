"""A synthetic corpus of 2020 annual review letters with ground truth, and its scorer.

    python bench/corpus.py OUT_DIR -n 400 [--seed 1] [--pdf] [--unique-share 0.2] [--error-share 0.1]
    python bench/corpus.py --score OUT_DIR [--verbose]

Letters are built from the shipped 2020 template (``lgso_core/templates/2020.json``): its
``{name}``/``{authority}`` slots get a real council from ``lgso_core/data/authorities.csv``
and an invented chief executive, its ``{figure}`` slots consistent statistics (k of n upheld,
rates rounded half up, one set of similar-authority averages per type, the 2020 period,
plurals right). A known share of letters gets one or two paragraphs from ``pool.py``
inserted in the body, and a known share one figure error: a rate its counts cannot give
(``rate-mismatch``) or a count whose noun has the wrong number (``plural-mismatch``).

Text letters carry extraction noise as real ones do: hard wraps, CRLF, markdown markup
(``## `` headings, ``**bold**`` figures, links), stray blank lines, a paragraph split by a
blank line, form feeds with page numbers. ``--pdf`` also writes each letter as a PDF with
``tests/pdfgen.py`` (running header, "Page N of M" footer, statistics on the last page).

``OUT_DIR/truth.json`` records, per letter, the unique paragraphs and the figure errors;
``--score`` audits the corpus with ``lgso_core.audit_paths`` and prints the precision and
recall of the unique paragraphs and the recall of the figure errors against it.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import textwrap
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pool import UNIQUE_POOL, fill_unique

ROOT = Path(__file__).resolve().parent.parent
VERSION = 1
"""Bump when the generator's output changes, so ``run.py`` rebuilds a cached corpus."""

YEAR = 2020
TYPES = ("county", "district", "metropolitan", "unitary", "london")
MEDIAN_INVESTIGATIONS = {"county": 40, "district": 6, "metropolitan": 40, "unitary": 25, "london": 35}
NOUNS = (
    "upheld decisions",
    "detailed investigations",
    "compliance outcomes",
    "satisfactory remedy decisions",
)

_TITLES = ("Mr", "Ms", "Mrs", "Dr", "Miss")
_FIRST = ("Sarah", "James", "Helen", "David", "Priya", "Mark", "Joanne", "Tom", "Aisha", "Rachel")
_SURNAMES = (
    "Kemp", "Andrews", "Okafor", "Whitfield", "Harrison", "Begum", "Lloyd", "Fenwick", "Carter",
    "Nolan", "Ashworth", "Patel", "Greaves", "Morgan", "Hussain", "Thornton", "Ellis", "Walsh",
    "Burrows", "Sinclair", "Kaur", "Pemberton", "Dawson", "Quinn", "Rowley", "Chaudhry",
)  # fmt: skip
_ROYAL = {"Kensington and Chelsea", "Kingston upon Thames", "Greenwich"}
_LINK = "Your council's performance"
PDF_LINE_HEIGHT = 4.6  # mm, for 11pt text: 1.15 line spacing


# --------------------------------------------------------------------------- statistics


def round_half_up(k: int, n: int) -> int:
    """100 k / n rounded half up, in integers (no float error at .5)."""
    return (200 * k + n) // (2 * n)


def possible_rates(k: int, n: int) -> set[int]:
    """Every percentage a usual rounding of 100 k / n can print (floor, ceil, half up/even)."""
    exact = 100 * k / n
    return {int(exact // 1), -int(-exact // 1), round_half_up(k, n), round(exact)}


def _binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(rng.random() < p for _ in range(n))


def type_averages(rng: random.Random) -> dict[str, dict[str, int]]:
    """The similar-authority averages of each type: one set shared by the whole corpus."""
    return {
        t: {"upheld": rng.randint(45, 75), "compliance": rng.randint(98, 100), "remedy": rng.randint(6, 20)}
        for t in TYPES
    }


@dataclass
class Figures:
    """What a letter's statistics part says (after any injected error)."""

    n: int  # detailed investigations
    k: int  # upheld decisions
    m: int  # compliance outcomes
    c: int  # of them complied with
    r: int  # satisfactory remedy decisions
    averages: dict[str, int]
    rates: dict[str, int] = field(default_factory=dict)
    wrong_plural: str | None = None  # a noun of NOUNS printed in the wrong number

    def __post_init__(self) -> None:
        self.rates = {
            "upheld": round_half_up(self.k, self.n),
            "compliance": round_half_up(self.c, self.m),
            "remedy": round_half_up(self.r, self.k),
        }


def random_figures(rng: random.Random, kind: str, averages: dict[str, int]) -> Figures:
    """Consistent figures for one letter to an authority of type ``kind``."""
    n = max(1, min(250, int(rng.lognormvariate(0, 0.6) * MEDIAN_INVESTIGATIONS[kind])))
    p = min(0.95, max(0.05, averages["upheld"] / 100 + rng.gauss(0, 0.1)))
    k = max(1, _binomial(rng, n, p))
    m = max(1, _binomial(rng, k, 0.75))
    c = m if rng.random() < 0.9 else max(0, m - rng.randint(1, 2))
    r = _binomial(rng, k, min(0.6, max(0.0, averages["remedy"] / 100 + rng.gauss(0, 0.05))))
    return Figures(n=n, k=k, m=m, c=c, r=r, averages=averages)


def inject_error(rng: random.Random, fig: Figures) -> dict[str, str]:
    """Make one figure wrong; return the finding it should raise (code and field)."""
    choice = rng.choice(["upheld", "remedy", "compliance", "plural", "plural"])
    if choice == "compliance":
        forbidden = set().union(*(possible_rates(j, fig.m) for j in range(fig.m + 1)))
        free = [v for v in range(50, 100) if v not in forbidden]
        if fig.m <= 25 and free:
            fig.rates["compliance"] = rng.choice(free)
            return {"code": "rate-mismatch", "field": "compliance.rate"}
        choice = "upheld"
    if choice in ("upheld", "remedy"):
        k, n = (fig.k, fig.n) if choice == "upheld" else (fig.r, fig.k)
        exact = 100 * k / n
        free = [v for v in range(101) if 2 <= abs(v - exact) <= 15]
        fig.rates[choice] = rng.choice(free)
        return {"code": "rate-mismatch", "field": f"{choice}.rate"}
    fig.wrong_plural = rng.choice(NOUNS)
    field_of = {"upheld decisions": "upheld.decisions", "detailed investigations": "upheld.investigations",
                "compliance outcomes": "compliance.outcomes",
                "satisfactory remedy decisions": "remedy.decisions"}  # fmt: skip
    return {"code": "plural-mismatch", "field": field_of[fig.wrong_plural]}


def counted(value: int, noun: str, fig: Figures, occurrence: int = 0) -> str:
    """'4 upheld decisions' / '1 upheld decision', or the wrong number if this is the error."""
    singular = value == 1
    if fig.wrong_plural == noun and occurrence == 0:
        singular = not singular
    return f"{value} {noun[:-1] if singular else noun}"


# --------------------------------------------------------------------------- letters


@dataclass
class Para:
    """One paragraph of a synthetic letter."""

    text: str  # as the letter says it, on one line
    lines: list[str] | None = None  # its printed lines, where the letter breaks them
    heading: bool = False
    stats: bool = False
    unique: bool = False


def load_template() -> list[dict]:
    """The paragraphs of the shipped 2020 template."""
    text = (resources.files("lgso_core") / "templates" / f"{YEAR}.json").read_text("utf-8")
    return json.loads(text)["paragraphs"]


_HEADINGS = ("Annual Review letter", "Complaint statistics", "Resources to help", "Complaints upheld",
             "Compliance with Ombudsman", "Satisfactory remedies provided")  # fmt: skip


def _is_heading(text: str) -> bool:
    return len(text.split()) <= 7 and text.startswith(_HEADINGS)


def _fill_stats(text: str, block: str | None, fig: Figures, seen: Counter) -> str:
    """A statistics paragraph of the template with its ``{figure}`` slots filled."""
    if "compares to an average" in text:
        return text.replace("{figure}", str(fig.averages[block]), 1)
    if "{figure}%" in text and "below {figure}%" in text:
        return text.replace("{figure}", "100")
    if "{figure}%" in text:
        return text.replace("{figure}", str(fig.rates[block]), 1)
    for noun in NOUNS:
        if f"{{figure}} {noun}" in text:
            value = {"upheld decisions": fig.k, "detailed investigations": fig.n,
                     "compliance outcomes": fig.m, "satisfactory remedy decisions": fig.r}[noun]  # fmt: skip
            filled = text.replace(f"{{figure}} {noun}", counted(value, noun, fig, seen[noun]), 1)
            seen[noun] += 1
            return filled.replace("{figure}", "?")
    raise ValueError(f"template statistics paragraph not understood: {text!r}")


def build_letter(template: list[dict], person: str, authority: str, fig: Figures) -> list[Para]:
    """The paragraphs of one letter, statistics included, no unique paragraph yet."""
    paras: list[Para] = []
    block: str | None = None
    seen: Counter = Counter()
    for tp in template:
        text = tp["text"]
        if tp["section"] == "stats":
            for name, start in (("upheld", "Complaints upheld"), ("compliance", "Compliance with"),
                                ("remedy", "Satisfactory remed")):  # fmt: skip
                if text.startswith(start) and _is_heading(text):
                    block = name
            filled = text if "{figure}" not in text else _fill_stats(text, block, fig, seen)
            lines = None
            m = re.fullmatch(r"(\d+) (upheld decisions?|satisfactory remedy decisions?)", filled)
            if m:
                lines = [m.group(1), m.group(2)]
            paras.append(Para(filled, lines, heading=_is_heading(filled), stats=True))
            continue
        filled = text.replace("{name}", person).replace("{authority}", authority)
        lines = None
        if text == "{name} Chief Executive {authority}":
            lines = [person, "Chief Executive", authority]
        elif text.startswith("Michael King "):
            lines = ["Michael King", "Local Government and Social Care Ombudsman",
                     "Chair, Commission for Local Administration in England"]  # fmt: skip
        paras.append(Para(filled, lines, heading=_is_heading(filled)))
    return paras


def insert_unique(paras: list[Para], texts: list[str], rng: random.Random) -> None:
    """Insert ``texts`` at random places in the body: after the first paragraph of prose,
    before 'Yours sincerely'."""
    first = next(i for i, p in enumerate(paras) if len(p.text) > 200) + 1
    last = next(i for i, p in enumerate(paras) if p.text.startswith("Yours sincerely"))
    for text in texts:
        at = rng.randint(first, last)
        paras.insert(at, Para(text, unique=True))
        last += 1


# --------------------------------------------------------------------------- text noise


def _markdown(p: Para, rng: random.Random) -> str:
    text = p.text
    if p.heading:
        return f"## {text}"
    if p.stats and text.startswith("Failure to comply"):
        return f"- {text}" if rng.random() < 0.5 else text
    if p.stats:
        return re.sub(r"\b(\d+%)", lambda m: f"**{m.group(1)}**" if rng.random() < 0.8 else m.group(1), text)
    return text.replace(_LINK, f"[{_LINK}](#)").replace("our website.", "our [website](#).")


def _split_mid(text: str, rng: random.Random) -> tuple[str, str] | None:
    """Split a paragraph where a stray blank line could fall: before a lower-case word,
    after one that ends no sentence."""
    words = text.split(" ")
    spots = [i for i in range(5, len(words) - 5)
             if words[i][:1].islower() and not re.search(r"""[.:;!?'")\]]$""", words[i - 1])]  # fmt: skip
    if not spots:
        return None
    i = rng.choice(spots)
    return " ".join(words[:i]), " ".join(words[i:])


def render_text(paras: list[Para], noise: list[str], rng: random.Random) -> str:
    """The letter as an extraction would give it, with the noise named in ``noise``."""
    width = rng.randint(72, 90)
    blocks: list[str] = []
    split_at = page_at = None
    long_ones = [i for i, p in enumerate(paras) if len(p.text) > 250]
    if "split" in noise:
        split_at = rng.choice(long_ones)
    if "pagebreak" in noise:
        page_at = rng.choice(long_ones)
    for i, p in enumerate(paras):
        text = _markdown(p, rng) if "markdown" in noise else p.text
        if p.lines and not ("markdown" in noise and p.heading):
            chunks = ["\n".join(p.lines)]
        elif i in (split_at, page_at) and (parts := _split_mid(text, rng)):
            chunks = list(parts)
        else:
            chunks = [text]
        if "wrap" in noise:
            chunks = [c if "\n" in c else textwrap.fill(c, width, break_on_hyphens=False) for c in chunks]
        if i == page_at and len(chunks) == 2:
            chunks = [f"{chunks[0]}\n\nPage 1 of 2\n\f{chunks[1]}"]
        blocks.append("\n\n".join(chunks))
    out = ["\n"] if rng.random() < 0.5 else []
    for block in blocks:
        out.append(block)
        out.append(rng.choices(["\n\n", "\n\n\n", "\n \n", "\n\n\n\n \n"], [70, 15, 10, 5])[0])
    text = "".join(out).rstrip() + "\n"
    if "crlf" in noise:
        text = text.replace("\n", "\r\n")
    return text


def pick_noise(rng: random.Random) -> list[str]:
    """Which kinds of extraction noise a text letter carries."""
    odds = {"wrap": 0.35, "crlf": 0.25, "markdown": 0.35, "split": 0.15, "pagebreak": 0.1}
    return [name for name, p in odds.items() if rng.random() < p]


# --------------------------------------------------------------------------- the corpus


def authority_names(rng: random.Random) -> list[tuple[str, str]]:
    """(name as addressed, type) for every council of 2020 in the list, shuffled."""
    from lgso_core.authorities import load_authorities, lookup_type

    out = []
    for row in load_authorities():
        if not row.exists_in(YEAR):
            continue
        for name in _addresses(row.name, row.type, rng):
            if lookup_type(name, YEAR) == row.type:
                out.append((name, row.type))
                break
    rng.shuffle(out)
    return out


def _addresses(name: str, kind: str, rng: random.Random) -> list[str]:
    if kind == "county":
        first = [f"{name} County Council"]
    elif kind == "district":
        first = [
            rng.choice([f"{name} District Council", f"{name} District Council", f"{name} Borough Council"])
        ]
    elif kind == "metropolitan":
        first = [rng.choice([f"{name} Metropolitan Borough Council", f"{name} Metropolitan Borough Council",
                             f"{name} City Council"])]  # fmt: skip
    elif kind == "london":
        if name == "City of London":
            first = ["City of London Corporation"]
        elif name == "Westminster":
            first = ["Westminster City Council"]
        elif name in _ROYAL:
            first = [f"Royal Borough of {name}"]
        else:
            first = [f"London Borough of {name}"]
    else:
        first = []
    return [*first, f"{name} Council"]


def _person(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return f"{rng.choice(_TITLES)} {rng.choice(_FIRST)} {rng.choice(_SURNAMES)}"
    return f"{rng.choice(_TITLES)} {rng.choice(_SURNAMES)}"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def plan_authorities(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """``n`` addressees: one of each type first, then the list in turn (repeating past its end)."""
    names = authority_names(rng)
    firsts = [next(a for a in names if a[1] == t) for t in TYPES]
    rest = [a for a in names if a not in firsts]
    ordered = firsts + rest
    return [ordered[i % len(ordered)] for i in range(n)]


def generate(
    out_dir: Path,
    n: int,
    *,
    seed: int = 1,
    pdf: bool = False,
    unique_share: float = 0.2,
    error_share: float = 0.1,
) -> dict:
    """Write the corpus and ``truth.json`` to ``out_dir``; return the truth."""
    rng = random.Random(seed)
    template = load_template()
    averages = type_averages(rng)
    (out_dir / "text").mkdir(parents=True, exist_ok=True)
    if pdf:
        (out_dir / "pdf").mkdir(exist_ok=True)
        make_letter_pdf = _pdfgen()
    with_unique = set(rng.sample(range(n), round(n * unique_share)))
    with_error = set(rng.sample(range(n), round(n * error_share)))
    letters = {}
    for i, (authority, kind) in enumerate(plan_authorities(n, rng)):
        fig = random_figures(rng, kind, averages[kind])
        errors = [inject_error(rng, fig)] if i in with_error else []
        person = _person(rng)
        paras = build_letter(template, person, authority, fig)
        unique: list[str] = []
        if i in with_unique:
            picks = rng.sample(UNIQUE_POOL, 2 if rng.random() < 0.3 else 1)
            unique = [fill_unique(p, authority, rng) for p in picks]
            insert_unique(paras, unique, rng)
        noise = pick_noise(rng)
        stem = f"{i:04d}_{_slug(authority)}"
        suffix = ".md" if "markdown" in noise and rng.random() < 0.5 else ".txt"
        text_path = Path("text") / f"{stem}{suffix}"
        (out_dir / text_path).write_bytes(render_text(paras, noise, rng).encode("utf-8"))
        entry = {
            "text": str(text_path),
            "authority": authority,
            "authority_type": kind,
            "unique": unique,
            "errors": errors,
            "noise": noise,
            "stats": {
                "investigations": fig.n,
                "upheld": fig.k,
                "compliance_outcomes": fig.m,
                "complied": fig.c,
                "remedies": fig.r,
                "rates": fig.rates,
            },
        }
        if pdf:
            pdf_path = Path("pdf") / f"{stem}.pdf"
            texts = ["\n".join(p.lines) if p.lines and not p.stats else p.text for p in paras]
            stats_from = next(j for j, p in enumerate(paras) if p.stats)
            make_letter_pdf(texts, out_dir / pdf_path, stats_from=stats_from)
            entry["pdf"] = str(pdf_path)
        letters[stem] = entry
    truth = {
        "version": VERSION,
        "seed": seed,
        "n": n,
        "unique_share": unique_share,
        "error_share": error_share,
        "pdf": pdf,
        "averages": averages,
        "letters": letters,
    }
    (out_dir / "truth.json").write_text(json.dumps(truth, indent=1) + "\n", "utf-8")
    return truth


def _pdfgen():
    """``tests/pdfgen.make_letter_pdf``, imported from the repository root."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests import pdfgen

    # pdfgen's 1.5 line spacing puts the 2020 body on a third page; at the 1.15-ish
    # spacing of the real letters it fits two, and the statistics page makes three.
    pdfgen.LINE_HEIGHT = PDF_LINE_HEIGHT
    return pdfgen.make_letter_pdf


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--score" in argv:  # python bench/corpus.py --score OUT_DIR: see score.py
        import score

        return score.main([a for a in argv if a != "--score"])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("-n", type=int, default=400, help="letters (default 400)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pdf", action="store_true", help="also write each letter as a PDF")
    parser.add_argument("--unique-share", type=float, default=0.2)
    parser.add_argument("--error-share", type=float, default=0.1)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    truth = generate(
        args.out_dir,
        args.n,
        seed=args.seed,
        pdf=args.pdf,
        unique_share=args.unique_share,
        error_share=args.error_share,
    )
    letters = truth["letters"].values()
    print(
        f"wrote {len(letters)} letters to {args.out_dir} in {time.perf_counter() - start:.1f} s: "
        f"{sum(bool(e['unique']) for e in letters)} with unique paragraphs, "
        f"{sum(bool(e['errors']) for e in letters)} with a figure error"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
