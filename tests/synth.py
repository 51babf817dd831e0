"""Letters in a later year's wording, synthesised for tests.

The 2020 template ships with the tool; other years' letters are worded differently (the
statistics gain upheld decisions per 100,000 residents, averages may be "n/a", remedies
are based on upheld decisions). These letters imitate that shape with invented prose, so
tests can check that a batch of them gets a template derived by consensus.
"""

from __future__ import annotations

BODY_2022 = [
    "Local Government & Social Care OMBUDSMAN",
    "20 July 2022",
    "By email",
    "{person}\nChief Executive\n{authority}",
    "Dear {person}",
    "Annual Review letter 2022",
    "I am writing to you with our annual summary of complaint statistics about your "
    "organisation for the year ending 31 March 2022. The enclosed information is "
    "designed to help you understand how well your organisation handles complaints.",
    "Complaint statistics",
    "Our statistics focus on three key areas that help to assess your organisation's "
    "commitment to putting things right when they go wrong, and we compare each figure "
    "with the average for organisations of the same type.",
    "Your organisation's performance",
    "The figures below are published on our interactive map together with this letter, "
    "so residents and elected members can see how your organisation compares.",
    "Supporting complaint and service improvement",
    "We are introducing a joint complaint handling code with the Housing Ombudsman, and we "
    "would welcome your views when we consult on it later this year.",
    "Yours sincerely,",
    "Paul Najsarek\nInterim Ombudsman\nChair, Commission for Local Administration in England",
]


def stats_2022(k: int, n: int, avg: int, c: int, co: int, r: int, per: str, per_avg: str) -> list[str]:
    """A consistent 2022-style statistics part: k of n upheld, c of co complied, r remedied."""
    plural = lambda count, word: f"{count} {word}{'' if count == 1 else 's'}"  # noqa: E731
    return [
        "Complaints upheld",
        f"{round(100 * k / n)}% of complaints we investigated were upheld.",
        f"This compares to an average of {avg}% in similar organisations.",
        f"{per} upheld decisions per 100,000 residents.",
        f"The average for authorities of this type is {per_avg} upheld decisions per 100,000 residents.",
        plural(k, "upheld decision"),
        f"Statistics are based on a total of {plural(n, 'detailed investigation')} for the "
        "period between 1 April 2021 to 31 March 2022",
        "Compliance with Ombudsman recommendations",
        f"In {round(100 * c / co)}% of cases we were satisfied the organisation had "
        "successfully implemented our recommendations.",
        "This compares to an average of n/a in similar organisations.",
        f"Statistics are based on a total of {plural(co, 'compliance outcome')} for the period "
        "between 1 April 2021 to 31 March 2022",
        "Satisfactory remedy provided by the organisation",
        f"In {round(100 * r / k)}% of upheld cases we found the organisation had provided a "
        "satisfactory remedy before the complaint reached the Ombudsman.",
        "This compares to an average of 12% in similar organisations.",
        plural(r, "satisfactory remedy decision"),
        f"Statistics are based on a total of {plural(k, 'upheld decision')} for the period "
        "between 1 April 2021 to 31 March 2022",
    ]


LETTERS_2022 = [
    ("Ms Ward", "Leeds City Council", (20, 30, 68, 9, 9, 2, "1.1", "0.9")),
    ("Mr Patel", "Kent County Council", (40, 55, 71, 20, 20, 4, "0.8", "0.7")),
    ("Dr Jones", "Cornwall Council", (12, 20, 66, 5, 5, 1, "0.6", "0.8")),
    ("Mrs Khan", "London Borough of Hackney", (18, 25, 70, 7, 7, 3, "1.3", "1.2")),
]


def letter_2022(person: str, authority: str, figures: tuple, extra: str | None = None) -> str:
    """One 2022-style letter as plain text; ``extra`` is inserted before the sign-off."""
    body = [p.format(person=person, authority=authority) for p in BODY_2022]
    if extra:
        body.insert(body.index("Yours sincerely,"), extra)
    return "\n\n".join(body + stats_2022(*figures)) + "\n"
