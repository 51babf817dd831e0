"""Which library finds the letter on a council web page: trafilatura or readability-lxml?

    python bench/webpages.py            (pip install -e '.[bench]' first, for trafilatura)

Every letter in ``tests/data`` (the seeds and the team's corpus) is published on a council
page in the four site styles of ``tests/pagegen.py`` (cookie banner, header with search,
navigation, breadcrumbs, related links, "Was this page helpful?", footer, scripts); each
extractor's text is scored on: the share of the letter's paragraphs found word for word,
pages where a piece of the chrome leaked into the text, pages where the address block
came out as one block of lines, and the time per page. The numbers are in the README.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pagegen import CHROME, STYLES, blocks, council_page, printed  # noqa: E402

from lgso_core.webpage import page_text  # noqa: E402


def _flat(text: str) -> str:
    return " ".join(text.replace("\\", "").split())


def _trafilatura(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, output_format="txt", include_tables=True, favor_recall=True) or ""


def _readability(html: str) -> str:
    from lxml import html as lxml_html
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    root = lxml_html.fromstring(summary)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return "\n\n".join(el.text_content() for el in root.iter("p", "h1", "h2", "h3", "li", "address"))


EXTRACTORS = {
    "trafilatura": _trafilatura,
    "readability-lxml": _readability,
    "lgso (lexbor + readability-lxml)": lambda html: page_text(html, "page.html"),
}


def main() -> int:
    letters = sorted((ROOT / "tests/data/seeds").glob("*.txt")) + sorted(
        p for p in (ROOT / "tests/data/letters").glob("*/*") if p.suffix in (".txt", ".md")
    )
    print(f"{len(letters)} letters x {len(STYLES)} site styles = {len(letters) * len(STYLES)} pages\n")
    print("| extractor | letter paragraphs found | pages with chrome | address kept as a block | ms a page |")
    print("|---|---|---|---|---|")
    for name, extract in EXTRACTORS.items():
        found = total = leaked = address = pages = 0
        times = []
        for letter in letters:
            text = letter.read_text("utf-8")
            paragraphs = [_flat(printed(" ".join(b.lines))) for b in blocks(text)]
            lines = next((b.lines for b in blocks(text) if b.kind == "address"), None)
            for style in STYLES:
                html = council_page(text, style)
                start = time.perf_counter()
                try:
                    out = extract(html)
                except Exception as exc:  # a library failing on a page counts as finding nothing
                    out = f"failed: {type(exc).__name__}"
                times.append(time.perf_counter() - start)
                flat = _flat(out)
                pages += 1
                total += len(paragraphs)
                found += sum(p in flat for p in paragraphs)
                leaked += any(c in out and c not in text for c in CHROME)
                if lines:
                    address += bool(re.search(r"\s*\n\s*".join(map(re.escape, lines)), out.replace("\\", "")))
                else:
                    address += 1
        ms = 1000 * statistics.median(times)
        print(f"| {name} | {found / total:.1%} | {leaked} of {pages} | {address} of {pages} | {ms:.1f} |")
    _deep(letters[1].read_text("utf-8"))
    return 0


def _deep(text: str) -> None:
    """Pathological nesting: the letter 300 divs deep, and 40,000 nested divs."""
    letter = council_page(text, "govuk")
    cases = {
        "letter 300 divs deep": letter.replace("<article", "<div>" * 300 + "<article").replace(
            "</article>", "</article>" + "</div>" * 300
        ),
        "40,000 nested divs": "<html><body>" + "<div>" * 40_000 + "<p>Dear Sir</p>" + "</div>" * 40_000,
    }
    print("\n| extractor | " + " | ".join(cases) + " |")
    print("|---|" + "---|" * len(cases))
    for name, extract in EXTRACTORS.items():
        cells = []
        for html in cases.values():
            start = time.perf_counter()
            try:
                out = _flat(extract(html))
                what = "letter kept" if "Dear Mr Andrews" in out or "Dear Sir" in out else "letter lost"
            except Exception as exc:
                what = (
                    f"refused ({str(exc).split(': ', 1)[-1][:40]})"
                    if "nested" in str(exc)
                    else type(exc).__name__
                )
            cells.append(f"{what}, {1000 * (time.perf_counter() - start):.0f} ms")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    raise SystemExit(main())
