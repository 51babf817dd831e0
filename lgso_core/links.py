"""Links to the Ombudsman's own pages about a council.

The Ombudsman publishes each council's figures at
``https://www.lgo.org.uk/your-councils-performance/<slug>/statistics``, where the slug is
the council's name in lower case with words joined by hyphens: "Brighton & Hove City
Council" is ``brighton-and-hove-city-council``, "King's Lynn and West Norfolk Borough
Council" is ``kings-lynn-and-west-norfolk-borough-council``. The slug is written here by
hand rather than with a slug library because the site's rule has two quirks a generic
slugger gets wrong: "&" reads "and", and an apostrophe joins its word rather than splitting
it ("king-s").
"""

from __future__ import annotations

import re
import unicodedata

LGO_PERFORMANCE = "https://www.lgo.org.uk/your-councils-performance/{slug}/statistics"
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def council_slug(name: str) -> str:
    """'Royal Borough of Kingston upon Thames' -> 'royal-borough-of-kingston-upon-thames'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = _APOSTROPHES.sub("", ascii_name.replace("&", " and ")).lower()
    return _NOT_WORD.sub("-", text).strip("-")


def statistics_url(name: str | None) -> str | None:
    """The council's statistics page on the Ombudsman's site, or None without a usable name."""
    slug = council_slug(name or "")
    return LGO_PERFORMANCE.format(slug=slug) if slug else None
