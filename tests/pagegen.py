"""The shapes a letter's text arrives in, made from a plain-text letter for the tests.

Council web pages with their site chrome (cookie banner, skip link, header with search,
navigation, breadcrumbs, "Was this page helpful?", related links, footer, scripts), in
several site styles; the text re-encoded (cp1252, Latin-1, UTF-16 with and without a BOM);
and the damage Unicode text picks up on the way (mojibake, ligature characters, soft
hyphens, zero-width and no-break spaces).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_LINK = re.compile(r"\[([^\]]+)\]\(#\)")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_UNDERLINE = re.compile(r"</?u>")


@dataclass(frozen=True)
class Block:
    """One block of a letter: a heading, a paragraph, the address or a list item."""

    kind: str  # "h", "p", "address", "li"
    lines: tuple[str, ...]


def blocks(text: str) -> list[Block]:
    """A plain-text (or markdown) letter as blocks, in order; each item of a list is a block."""
    out = []
    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    salutation = next((i for i, p in enumerate(paragraphs) if p.strip().startswith("Dear ")), 0)
    for i, para in enumerate(paragraphs):
        lines = tuple(ln.strip() for ln in para.splitlines() if ln.strip())
        first = lines[0]
        if first.startswith("## "):
            out.append(Block("h", (first[3:], *lines[1:])))
        elif first.startswith("- "):
            items: list[list[str]] = []
            for line in lines:
                if line.startswith("- ") or not items:
                    items.append([line.removeprefix("- ")])
                else:
                    items[-1].append(line)
            out.extend(Block("li", tuple(item)) for item in items)
        elif i < salutation and len(lines) > 1:
            out.append(Block("address", lines))
        elif i > salutation and len(lines) == 1 and _heading_like(first):
            out.append(Block("h", lines))
        else:
            out.append(Block("p", lines))
    return out


def printed_paragraphs(text: str) -> list[str]:
    """The paragraphs a reader sees of a plain-text (or markdown) letter, lines joined,
    markup gone: what a word processor would set in a PDF."""
    return [printed(" ".join(block.lines)) for block in blocks(text)]


def _heading_like(line: str) -> bool:
    return len(line) < 60 and line[:1].isupper() and not line.endswith((".", ",", ":")) and "%" not in line


def printed(text: str) -> str:
    """What a reader sees of a markdown line: link and bold markers gone."""
    return _UNDERLINE.sub("", _BOLD.sub(r"\1", _LINK.sub(r"\1", text)))


def _inline(line: str) -> str:
    escaped = html.escape(line, quote=False).replace("&lt;u&gt;", "<u>").replace("&lt;/u&gt;", "</u>")
    escaped = _LINK.sub(r'<a href="https://www.lgo.org.uk/your-councils-performance">\1</a>', escaped)
    return _BOLD.sub(r"<strong>\1</strong>", escaped)


def _letter_html(text: str, close_p: bool = True, heading_tag: str = "h2") -> str:
    end_p = "</p>" if close_p else ""
    parts = []
    in_list = False
    for block in blocks(text):
        if block.kind != "li" and in_list:
            parts.append("</ul>")
            in_list = False
        body = "<br>\n".join(_inline(ln) for ln in block.lines)
        if block.kind == "h":
            parts.append(f"<{heading_tag}>{body}</{heading_tag}>")
        elif block.kind == "address":
            parts.append(f"<address>{body}</address>")
        elif block.kind == "li":
            if not in_list:
                parts.append('<ul class="bullets">')
                in_list = True
            parts.append(f"<li>{body}</li>")
        else:
            parts.append(f"<p>{body}{end_p}")
    if in_list:
        parts.append("</ul>")
    return "\n".join(parts)


_SCRIPT = """<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date()); gtag('config', 'G-XXXXXXX');
  document.documentElement.className += ' js-enabled';
</script>"""

_COOKIES = """<div id="global-cookie-message" class="cookie-banner" role="region" aria-label="Cookies on {site}">
  <h2 class="cookie-banner__heading">Cookies on {site}</h2>
  <p>We use some essential cookies to make this website work.</p>
  <p>We'd also like to use analytics cookies so we can understand how you use the service and make improvements.</p>
  <button type="button" class="button" data-accept-cookies="true">Accept analytics cookies</button>
  <button type="button" class="button" data-reject-cookies="true">Reject analytics cookies</button>
  <a class="link" href="/cookies">View cookies</a>
</div>"""

_HEADER = """<a href="#main-content" class="skip-link">Skip to main content</a>
<header class="site-header" role="banner">
  <a href="/" class="site-header__logo"><img src="/logo.svg" alt="{site} logo"></a>
  <form class="site-search" action="/search" method="get" role="search">
    <label for="search-input">Search this site</label>
    <input type="search" id="search-input" name="q" placeholder="Search">
    <button type="submit">Search</button>
  </form>
  <nav class="site-nav" aria-label="Main menu">
    <ul>
      <li><a href="/bins">Bins and recycling</a></li>
      <li><a href="/council-tax">Council tax</a></li>
      <li><a href="/planning">Planning and building control</a></li>
      <li><a href="/schools">Schools and education</a></li>
      <li><a href="/adult-social-care">Adult social care</a></li>
      <li><a href="/council">Your council</a></li>
      <li><a href="/contact">Contact us</a></li>
    </ul>
  </nav>
</header>"""

_BREADCRUMBS = """<nav class="breadcrumbs" aria-label="Breadcrumb">
  <ol>
    <li><a href="/">Home</a></li>
    <li><a href="/council">Your council</a></li>
    <li><a href="/council/complaints">Comments, compliments and complaints</a></li>
    <li aria-current="page">Ombudsman annual review letter</li>
  </ol>
</nav>"""

_FEEDBACK = """<section class="page-feedback">
  <h2>Was this page helpful?</h2>
  <form action="/feedback" method="post">
    <button name="helpful" value="yes">Yes</button> <button name="helpful" value="no">No</button>
  </form>
  <p><a href="/report-a-problem">Report a problem with this page</a></p>
</section>"""

_RELATED = """<aside class="related" role="complementary">
  <h2>Related pages</h2>
  <ul>
    <li><a href="/council/complaints/make-a-complaint">Make a complaint</a></li>
    <li><a href="/council/complaints/procedure">Our complaints procedure</a></li>
    <li><a href="/council/performance">Council performance and spending</a></li>
  </ul>
</aside>"""

_FOOTER = """<footer class="site-footer" role="contentinfo">
  <ul class="footer-links">
    <li><a href="/accessibility">Accessibility statement</a></li>
    <li><a href="/cookies">Cookies</a></li>
    <li><a href="/privacy">Privacy notice</a></li>
    <li><a href="/contact">Contact us</a></li>
    <li><a href="/jobs">Jobs and careers</a></li>
  </ul>
  <p>Follow us on Facebook, X and LinkedIn</p>
  <p class="copyright">&copy; {site} 2020. All rights reserved.</p>
</footer>"""

SITE = "Borsetshire Council"
CHROME = [
    "Cookies on", "essential cookies", "Accept analytics cookies", "View cookies", "Skip to main content",
    "Search this site", "Bins and recycling", "Council tax", "Contact us", "Your council", "Home",
    "Comments, compliments and complaints", "Related pages", "Make a complaint", "Was this page helpful?",
    "Report a problem", "Accessibility statement", "Privacy notice", "Jobs and careers", "Follow us",
    "All rights reserved", "gtag", "dataLayer", "cookie-banner",
]  # fmt: skip
"""Words of the site's chrome on every page: none may reach a letter's text."""
STYLES = ("govuk", "wordpress", "tables", "html5-open")


def council_page(text: str, style: str = "govuk", charset: str = "utf-8") -> str:
    """``text`` (a plain-text letter) published on a council website in one of ``STYLES``.

    "govuk": a GOV.UK-like page with <main> and <article>; "wordpress": divs only, the
    letter in ``div.entry-content``; "tables": an old table layout with the letter in a
    cell; "html5-open": HTML5 that leaves ``</p>`` and ``</li>`` out, as it may.
    """
    site = SITE
    title = "Local Government and Social Care Ombudsman annual review letter"
    letter = _letter_html(text, close_p=style != "html5-open")
    meta = (
        f'<meta charset="{charset}">'
        if style != "tables"
        else (f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">')
    )
    head = (
        f'<head>{meta}<meta name="viewport" content="width=device-width">'
        f'<title>{title} | {site}</title><link rel="stylesheet" href="/main.css">'
        f"<style>.cookie-banner{{background:#f3f2f1}} .skip-link{{position:absolute}}</style>{_SCRIPT}</head>"
    )
    chrome = {k: v.format(site=site) for k, v in
              {"cookies": _COOKIES, "header": _HEADER, "footer": _FOOTER}.items()}  # fmt: skip
    updated = '<p class="updated">Last updated: 3 August 2020</p>'
    if style == "govuk":
        body = (
            f'{chrome["cookies"]}{chrome["header"]}<div class="container">{_BREADCRUMBS}'
            f'<main id="main-content" role="main"><article class="letter"><h1>{title}</h1>'
            f"{updated}\n{letter}\n</article>{_RELATED}{_FEEDBACK}</main></div>{chrome['footer']}"
        )
    elif style == "wordpress":
        body = (
            f'{chrome["cookies"]}<div id="page" class="site">{chrome["header"]}'
            f'<div id="content" class="site-content">{_BREADCRUMBS}<div id="primary" class="content-area">'
            f'<div class="post type-page"><h1 class="entry-title">{title}</h1>'
            f'<div class="entry-content">\n{letter}\n</div></div></div>'
            f'<div id="secondary" class="widget-area">{_RELATED}</div>{_FEEDBACK}</div>'
            f"{chrome['footer']}</div>"
        )
    elif style == "tables":
        body = (
            f'{chrome["cookies"]}<table width="100%" class="layout"><tr><td colspan="2">{chrome["header"]}</td></tr>'
            f'<tr><td class="leftnav" width="20%">{_BREADCRUMBS}{_RELATED}</td>'
            f'<td class="content"><h1>{title}</h1>\n{letter}\n{_FEEDBACK}</td></tr>'
            f'<tr><td colspan="2">{chrome["footer"]}</td></tr></table>'
        )
    elif style == "html5-open":
        body = (
            f'{chrome["cookies"]}{chrome["header"]}{_BREADCRUMBS}<main id="main-content">'
            f"<h1>{title}</h1>\n{letter}\n{_FEEDBACK}</main>{chrome['footer']}"
        )
    else:
        raise ValueError(f"style must be one of {', '.join(STYLES)}; got {style!r}")
    return f'<!DOCTYPE html>\n<html lang="en">{head}<body>{body}{_SCRIPT}</body></html>\n'


# --- encodings and Unicode damage ---------------------------------------------


def curly(text: str) -> str:
    """Curly apostrophes, as a word processor types them."""
    text = re.sub(r"(\w)'(\w)", "\\1\u2019\\2", text)
    return text


def mojibake(text: str) -> str:
    """UTF-8 bytes of curly text read back as Windows-1252: "Councilâ€™s"."""
    return curly(text).encode("utf-8").decode("cp1252", errors="replace")


_LIGATURES = {"ffi": "\ufb03", "ffl": "\ufb04", "ff": "\ufb00", "fi": "\ufb01", "fl": "\ufb02"}
_LIGATURE = re.compile("|".join(_LIGATURES))


def ligatures(text: str) -> str:
    """Ligature characters for ff, fi, fl, ffi and ffl, as text copied from a PDF has them."""
    return _LIGATURE.sub(lambda m: _LIGATURES[m.group()], text)


def invisible(text: str, zero_width: bool = True) -> str:
    """Soft hyphens inside long words, zero-width spaces after some full stops (unless not
    ``zero_width``: single-byte encodings have none), and no-break spaces after "Dear",
    "Mr"/"Ms" and between a figure and its word."""
    text = re.sub(r"\b(com)(plaints?)\b", "\\1\u00ad\\2", text)
    text = re.sub(r"\b(recommend)(ations?)\b", "\\1\u00ad\\2", text)
    if zero_width:
        text = re.sub(r"\. (?=[A-Z])", ".\u200b ", text)
    text = re.sub(r"\b(Dear|Mr|Ms|Mrs) ", "\\1\u00a0", text)
    return re.sub(r"(\d) (?=[a-z])", "\\1\u00a0", text)


def hyphen_wrapped(text: str, width: int = 64) -> str:
    """Every paragraph longer than ``width`` hard-wrapped at it, a long word that does not
    fit broken with a hyphen ("inves-" / "tigated"), as text pasted from a PDF is."""
    out = []
    for para in re.split(r"\n\s*\n", text):
        words = para.split()
        if len(" ".join(words)) <= width or para.lstrip().startswith(("#", "-")):
            out.append(para)
            continue
        lines, line = [], ""
        for word in words:
            if len(line) + 1 + len(word) <= width or not line:
                line = f"{line} {word}".strip()
                continue
            room = width - len(line) - 2
            if word.isalpha() and len(word) >= 8 and room >= 4 and len(word) - room >= 3:
                lines.append(f"{line} {word[:room]}-")
                line = word[room:]
            else:
                lines.append(line)
                line = word
        lines.append(line)
        out.append("\n".join(lines))
    return "\n\n".join(out)
