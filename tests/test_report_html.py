"""The HTML report (lgso_core.report_html): parsed with BeautifulSoup, and driven in headless
Chromium (the ``browser`` tests, which skip only when no chromium is installed)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from report_batch import (
    CHANGED_FROM,
    CHANGED_TO,
    HOSTILE_NAME,
    HOSTILE_PARAGRAPH,
    HOSTILE_TEXT,
    later_letter,
    write_batch,
)
from synthetic import SEEDS, make_audit

from lgso_core import audit_paths
from lgso_core.codes import finding_codes
from lgso_core.models import AuditReport, Deviation, Finding, Severity, TemplateInfo
from lgso_core.report_html import render_html

ROTHERHAM_UNIQUE = (
    "This year, three quarters of the Council's responses to our enquiries have been late. While the "
    "Council was proactive in contacting us about delays, the frequency of the issue suggests there "
    "is a problem to be addressed."
)
MADE = dt.datetime(2026, 7, 29, 9, 5, tzinfo=dt.UTC)


def soup_of(report: AuditReport) -> BeautifulSoup:
    return BeautifulSoup(render_html(report, made=MADE), "html.parser")


def section(soup: BeautifulSoup, authority: str):
    return next(s for s in soup.select("section.letter") if s.h3.get_text().startswith(authority))


@pytest.fixture(scope="module")
def seeds_soup() -> BeautifulSoup:
    return soup_of(audit_paths([str(SEEDS)]))


def test_one_row_and_one_section_per_letter(seeds_soup):
    rows = seeds_soup.select("#letters tbody tr")
    assert [r.td.get_text() for r in rows] == [
        "Rotherham Metropolitan Borough Council",
        "Rutland County Council",
        "Ashfield District Council",
        "Bromsgrove District Council",
        "Royal Borough of Kingston upon Thames",
    ]
    assert [r["data-type"] for r in rows] == ["metropolitan", "unitary", "district", "district", "london"]
    assert len(seeds_soup.select("section.letter")) == 5
    # each row links to its letter's section
    assert [r.a["href"] for r in rows] == [f"#letter-{i}" for i in range(5)]
    assert [s["id"] for s in seeds_soup.select("section.letter")] == [f"letter-{i}" for i in range(5)]


def test_the_summary_counts_the_letters(seeds_soup):
    cards = {c.span.get_text(): c.b.get_text() for c in seeds_soup.select("#summary .card")}
    # Seeds: one unique paragraph (Rotherham's concern about late responses), no figure
    # errors, no outliers, all read.
    assert cards == {
        "letters audited": "5",
        "with concerns": "1",
        "with figure errors": "0",
        "with outliers": "0",
        "unique paragraphs": "1",
    }
    templates = seeds_soup.select_one(".templates").get_text()
    assert templates == "Templates: builtin:2020 (2020, 36 paragraphs)."
    assert seeds_soup.select_one(".made").get_text() == "Made 29 July 2026, 09:05 UTC by lgso-audit 0.1.0."


def test_table_rates_sit_beside_their_average_and_counts(seeds_soup):
    cells = [td.get_text(" ") for td in seeds_soup.select("#letters tbody tr")[0].select("td")]
    # Rotherham: 57% of 4/7 (avg 67%), compliance 100% of 3 (avg 100%), remedy 0% of 0/4 (avg 11%)
    assert cells[3:6] == ["57% avg 67% · 4/7", "100% avg 100% · of 3", "0% avg 11% · 0/4"]
    assert [td["data-sort"] for td in seeds_soup.select("#letters tbody tr")[0].select("td.rate")] == [
        "57", "100", "0",
    ]  # fmt: skip
    assert cells[-5:] == ["1", "0", "0", "1", "0"]  # concerns, errors, outliers, unique, changed


def test_each_letter_is_headed_by_its_tone_and_topics(seeds_soup):
    heads = [h.get_text() for h in seeds_soup.select("section.letter h3")]
    assert heads[0] == "Rotherham Metropolitan Borough Council: concern, enquiry responses (2020)"
    assert heads[1] == "Rutland County Council: nothing to report (2020)"


def test_each_figure_has_its_arithmetic_beside_it(seeds_soup):
    rows = section(seeds_soup, "Rotherham").select("table.figures tr")
    upheld = rows[0].get_text(" ")
    assert rows[0].th.get_text() == "Upheld"
    assert "57% (avg 67%) 4 of 7 investigations" in upheld
    assert "4/7 = 57.1%, stated 57%: consistent" in upheld
    assert "99% interval" in upheld and "within chance" in upheld
    assert "0/4 = 0%, stated 0%: consistent" in rows[2].get_text(" ")
    assert rows[3].get_text(" ").startswith("Period 1 April 2019 to 31 March 2020")


def test_a_unique_paragraph_appears_in_full_once(seeds_soup):
    text = " ".join(seeds_soup.get_text(" ").split())
    assert text.count(ROTHERHAM_UNIQUE) == 1
    quote = section(seeds_soup, "Rotherham").select_one(".para.unique blockquote").get_text()
    assert quote.startswith(ROTHERHAM_UNIQUE)
    assert quote.endswith("provide us with more timely responses in the future.")


def test_letters_without_statistics_are_listed_not_charted(seeds_soup):
    points = seeds_soup.select("svg circle.point")
    assert len(points) == 3  # Rotherham, Rutland, Bromsgrove state an upheld rate
    assert seeds_soup.select_one("p.uncharted:not(:first-of-type)") is not None
    assert (
        "not charted: Ashfield District Council, Royal Borough of Kingston upon Thames."
        in seeds_soup.get_text()
    )


def test_how_to_read_explains_every_finding_code(seeds_soup):
    box = seeds_soup.select_one("#how-to-read")
    assert [li.code.get_text() for li in box.select("ul.codes li")] == [c.code for c in finding_codes()]
    assert "99% interval and p-value" in box.get_text()
    assert (
        "(2 in this report)"
        in box.select("ul.codes li")[[c.code for c in finding_codes()].index("stats-missing")].get_text()
    )


def test_the_content_security_policy_lets_only_the_report_script_run(seeds_soup):
    policy = seeds_soup.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
    scripts = seeds_soup.find_all("script")
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].string.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy
    assert policy.startswith("default-src 'none';")
    assert not seeds_soup.select("link, img, iframe, [src]")  # nothing fetched from anywhere


@pytest.fixture(scope="module")
def small_batch(tmp_path_factory) -> AuditReport:
    """Two seeds (Rutland reworded), the hostile letter, and three 2022 letters (one outlier)."""
    folder = tmp_path_factory.mktemp("small")
    rutland = (SEEDS / "001_c0b09b6ab8458cd9.txt").read_text("utf-8")
    (folder / "rutland.txt").write_text(rutland.replace(CHANGED_FROM, CHANGED_TO), "utf-8")
    rotherham = (SEEDS / "000_2d41e673c27088b3.txt").read_text("utf-8")
    hostile = rotherham.replace("Resources to help you get it right",
                                HOSTILE_PARAGRAPH + "\n\nResources to help you get it right")  # fmt: skip
    (folder / HOSTILE_NAME).write_text(hostile, "utf-8")
    letters = [("Kent County Council", "county", 50, 55), ("Surrey County Council", "county", 30, 50),
               ("Essex County Council", "county", 31, 52)]  # fmt: skip
    for name, kind, k, n in letters:
        (folder / f"{name}.txt").write_text(later_letter(2022, "Ms Example", name, kind, k, n, None), "utf-8")
    return audit_paths([str(folder)])


def test_a_changed_paragraph_is_a_redline(small_batch):
    soup = soup_of(small_batch)
    rutland = section(soup, "Rutland")
    redline = rutland.select_one(".para.changed .redline")
    deleted = " ".join(d.get_text() for d in redline.select("del"))
    inserted = " ".join(i.get_text() for i in redline.select("ins"))
    assert "encourage" in deleted and "encourage" not in inserted
    assert "strongly urge" in inserted and "scrutiny committees" in inserted
    assert "share the tool with" in redline.get_text()  # the words both share, unmarked


def test_a_hostile_letter_cannot_inject_markup(small_batch):
    page = render_html(small_batch, made=MADE)
    hostile = next(a for a in small_batch.letters if a.source.endswith(HOSTILE_NAME))
    assert hostile.deviations[1].text == HOSTILE_TEXT  # what the audit read
    assert "<script>window.__pwned" not in page and "<img" not in page
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    soup = BeautifulSoup(page, "html.parser")
    assert len(soup.find_all("script")) == 1
    assert soup.find_all("img") == []
    assert not [b for b in soup.find_all("b") if b.get_text() == "markup"]
    quotes = [q.get_text() for q in soup.select(".para.unique blockquote")]
    assert HOSTILE_TEXT in quotes  # shown as the text it is
    assert HOSTILE_NAME in soup.get_text()  # the file name too


def test_outliers_are_marked_in_the_chart_and_table(small_batch):
    soup = soup_of(small_batch)
    outliers = soup.select("svg circle.point.outlier")
    # Kent: 50 of 55 upheld (91%) against a county average of 60%: far outside chance.
    assert len(outliers) == 1
    kent = next(i for i, a in enumerate(small_batch.letters) if a.authority == "Kent County Council")
    assert outliers[0]["data-letter"] == str(kent)
    assert (
        soup.select_one("svg circle.point.outlier")
        .find_parent("g")
        .title.get_text()
        .startswith("Kent County Council: upheld 91% (50 of 55), similar authorities 60%;")
    )
    groups = [f.figcaption.get_text() for f in soup.select("figure.chart")]
    assert groups == ["County, 2022: 3 letters, average 60%", "Metropolitan, 2020: 1 letter, average 67%",
                      "Unitary, 2020: 1 letter, average 56%"]  # fmt: skip


def test_a_year_without_a_template_is_named_in_the_summary():
    lone = make_audit(year=2019, findings=[Finding(code="no-template", severity=Severity.WARNING,
                                                   message="No template fits 2019.")])  # fmt: skip
    report = AuditReport(template=TemplateInfo(source="builtin:2020", paragraphs=36, year=2020),
                         letters=[lone, make_audit(salt="2")], errors=[])  # fmt: skip
    text = soup_of(report).select_one(".templates").get_text()
    assert text.endswith("No template for 2019: those letters' paragraphs are not judged.")


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=200).filter(lambda t: t.strip() and "\r" not in t and "\x0c" not in t))
def test_any_paragraph_text_comes_back_as_the_same_text(paragraph):
    unique = Deviation(kind="unique", text=paragraph, template=None, score=5.0, tags=["other"])
    audit = make_audit().model_copy(update={"deviations": [unique], "authority": paragraph})
    report = AuditReport(
        template=TemplateInfo(source="builtin:2020", paragraphs=36), letters=[audit], errors=[]
    )
    soup = soup_of(report)
    assert soup.select_one(".para.unique blockquote").get_text() == paragraph
    assert soup.select_one("#letters tbody td a").get_text() == paragraph
    assert len(soup.find_all("script")) == 1


# --------------------------------------------------------------------------- in Chromium

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
browser = pytest.mark.skipif(
    CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium; .ci/run installs it)"
)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The report of the whole batch (66 letters) open in headless Chromium."""
    if CHROMIUM is None:
        pytest.skip("needs Debian's chromium (apt-get install chromium; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("batch")
    report = audit_paths([str(write_batch(folder / "letters"))])
    out = folder / "report.html"
    out.write_text(render_html(report), "utf-8")
    requests, console = [], []
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )  # playwright gives it a fresh --user-data-dir and --headless
        tab = chromium.new_page(viewport={"width": 1200, "height": 1600})
        tab.on("request", lambda r: requests.append(r.url))
        tab.on("console", lambda m: console.append(m.text))
        tab.goto(out.as_uri())
        yield tab, report, requests, console, folder
        chromium.close()


def _rows(tab) -> list[dict]:
    return tab.eval_on_selector_all(
        "#letters tbody tr",
        "rows => rows.map(r => ({type: r.dataset.type, hidden: r.hidden, "
        "upheld: r.cells[3].dataset.sort, name: r.cells[0].textContent}))",
    )


@browser
@pytest.mark.browser
def test_chromium_shows_one_row_and_one_point_per_letter(page):
    tab, report, *_ = page
    assert len(report.letters) == 66  # 5 seeds, the hostile letter, 44 corpus letters, 16 later ones
    assert report.errors == []
    assert tab.locator("#letters tbody tr").count() == 66
    charted = [a for a in report.letters if a.stats and a.stats.upheld.rate is not None]
    assert len(charted) == 64  # all but the two seeds without statistics
    assert tab.locator("svg circle.point").count() == 64
    outliers = {str(i) for i, a in enumerate(report.letters)
                if any(f.code == "outlier" and f.field == "upheld.rate" for f in a.findings)}  # fmt: skip
    shown = set(tab.eval_on_selector_all("svg circle.point.outlier", "cs => cs.map(c => c.dataset.letter)"))
    assert len(outliers) >= 6 and shown == outliers  # the later letters' 91% and 8% upheld at least
    years = {a.year for a in report.letters}
    assert years == {2020, 2021, 2022}
    assert {a.authority_type for a in report.letters} == {
        "county",
        "district",
        "metropolitan",
        "unitary",
        "london",
    }
    assert tab.locator(".para.changed del").count() >= 1 and tab.locator(".para.changed ins").count() >= 1


@browser
@pytest.mark.browser
def test_chromium_sorts_the_table_by_a_heading(page):
    tab, *_ = page
    before = [r["name"] for r in _rows(tab)]
    tab.click("#letters thead th:nth-child(4)")  # Upheld
    rates = [r["upheld"] for r in _rows(tab)]
    numbers = [float(x) for x in rates if x]
    assert numbers == sorted(numbers) and rates[-2:] == ["", ""]  # no rate: last either way
    assert tab.get_attribute("#letters thead th:nth-child(4)", "aria-sort") == "ascending"
    tab.click("#letters thead th:nth-child(4)")
    numbers = [float(x) for x in (r["upheld"] for r in _rows(tab)) if x]
    assert numbers == sorted(numbers, reverse=True)
    tab.click("#letters thead th:nth-child(1)")  # Authority, A to Z
    names = [r["name"] for r in _rows(tab)]
    assert names == sorted(before, key=str.lower)
    tab.focus("#letters thead th:nth-child(3)")  # Year, from the keyboard
    tab.keyboard.press("Enter")
    years = tab.eval_on_selector_all("#letters tbody tr", "rows => rows.map(r => r.cells[2].textContent)")
    assert years == sorted(years) and years[0] == "2020" and years[-1] == "2022"


@browser
@pytest.mark.browser
def test_chromium_filters_the_table_by_type(page):
    tab, report, *_ = page
    tab.select_option("#type-filter", "district")
    rows = _rows(tab)
    visible = [r for r in rows if not r["hidden"]]
    assert {r["type"] for r in visible} == {"district"}
    assert len(visible) == sum(a.authority_type == "district" for a in report.letters)
    assert tab.text_content("#controls span").strip() == f"{len(visible)} of 66 letters"
    tab.select_option("#type-filter", "")
    assert not [r for r in _rows(tab) if r["hidden"]]


@browser
@pytest.mark.browser
def test_chromium_ran_no_script_of_a_letter_and_fetched_nothing(page):
    tab, _, requests, console, _ = page
    assert tab.evaluate("typeof window.__pwned") == "undefined"
    assert tab.locator("section.letter img, section.letter script").count() == 0
    assert (
        tab.locator("section.letter blockquote", has_text="<script>window.__pwned = 1</script>").count() == 1
    )
    assert requests == [tab.url]  # the report itself and nothing else
    assert not [m for m in console if "Content Security Policy" in m or "Refused" in m]
    assert tab.locator("#letters thead th.sortable").count() == 12  # the report's own script did run


@browser
@pytest.mark.browser
def test_chromium_screenshot_and_a4_print(page):
    tab, _, _, _, folder = page
    shot, pdf = folder / "report.png", folder / "report.pdf"
    tab.screenshot(path=str(shot), full_page=True)
    tab.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
    from PIL import Image

    with Image.open(shot) as image:  # the letters, below the chart, are drawn, not left blank
        width, height = image.size
        band = image.convert("L").crop((0, int(0.7 * height), width, int(0.7 * height) + 1500))
        darkest, _ = band.getextrema()
    assert height > 20_000 and darkest < 80
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert len(document) > 5
    text = document[0].get_textpage().get_text_range()
    assert "LGSCO annual review letters: audit" in text
    assert re.search(r"66\s+letters audited", text)
    document.close()


def test_a_later_letter_shows_what_became_of_its_complaints():
    # tests/data/letters/2025/hounslow: 98 dealt with: 30 not for us, 47 assessed and closed,
    # 21 investigated; 19 of the 21 upheld (90%, average 87%).
    hounslow = Path(__file__).parent / "data" / "letters" / "2025" / "hounslow.txt"
    rows = soup_of(audit_paths([str(hounslow)])).select("section.letter table.figures tr")
    assert rows[-1].get_text(" | ") == (
        "Dealt with | 98 complaints and enquiries | 30 not for us, 47 assessed and closed, 21 investigated"
    )
    assert "19/21 = 90.5%, stated 90%: consistent" in rows[0].get_text()


def test_a_lone_letter_of_a_year_without_a_template_says_so_first():
    # tests/data/letters/2019/croydon alone: no 2019 template, none derivable from one letter.
    croydon = Path(__file__).parent / "data" / "letters" / "2019" / "croydon.txt"
    soup = soup_of(audit_paths([str(croydon)]))
    assert soup.select_one(".templates").get_text() == (
        "Templates: none. No template for 2019: those letters' paragraphs are not judged."
    )
    letter = soup.select_one("section.letter")
    assert (
        letter.h3.get_text()
        == "London Borough of Croydon: paragraphs not judged, no template of its year (2019)"
    )
    assert letter.select_one(".letter-head ul.findings code").get_text() == "no-template"
    assert "30/40 = 75%, stated 75%: consistent" in letter.select_one("table.figures").get_text()
