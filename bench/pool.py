"""Paragraphs the Ombudsman writes for one council, to insert into synthetic letters.

Each entry is a paragraph in the voice of the real letters, on a different subject and in
different words, so that an audit cannot find them by one sentence or one keyword. Slots
(``{authority}``, ``{fraction}``, ``{month}``, ``{weeks}``, ``{count}``) are filled per
letter, so no two letters carry quite the same text. None of them uses the wording of the
statistics part, or says which year the letter is about.
"""

from __future__ import annotations

import random

UNIQUE_POOL: tuple[str, ...] = (
    # late responses
    "This year, {fraction} of the Council's responses to our enquiries were late. Delays in "
    "responding to us add to a complainant's injustice and prolong their uncertainty. I would ask "
    "the Council to review its arrangements and to make sure the officers who reply to us have "
    "the time and seniority to do so within the deadlines we set.",
    # non-compliance with a recommendation
    "I must draw your attention to a case in which the Council did not comply with our "
    "recommendations within the agreed timescale. After several reminders it was {weeks} weeks "
    "late in making the payment we had recommended. Compliance with our recommendations is the "
    "bedrock of the Ombudsman scheme, and I would ask you to make sure such delays do not recur.",
    # public interest report
    "In {month} we issued a public interest report about {authority}'s handling of a "
    "homelessness application. The Council had failed to provide interim accommodation to a "
    "family with young children while it considered their case. I welcome its acceptance of our "
    "findings and the steps it has since taken to review its housing procedures.",
    # praise for engagement
    "I want to acknowledge the positive way in which {authority} has engaged with my office "
    "over the past year. Its link officer has answered our enquiries promptly and constructively, "
    "and the Council has often offered a suitable remedy without the need for a lengthy "
    "investigation. This helps complainants and lets both our organisations focus on harder cases.",
    # corporate complaint handling
    "During the year we noticed a pattern of complaints reaching us before the Council had "
    "finished its own complaints procedure. Several people told us they had waited more than "
    "{weeks} weeks for a stage two response. I would encourage the Council to review the "
    "capacity of its corporate complaints team so that residents receive timely answers.",
    # adult social care charging
    "Our investigations highlighted recurring problems with the way the Council assesses "
    "charges for adult social care. In {count} cases people had not been told clearly how their "
    "contribution was worked out, or were charged before a financial assessment was complete. "
    "I would welcome assurance that the Council's charging guidance has been reviewed.",
    # education, health and care plans
    "We remain concerned about delays in issuing Education, Health and Care Plans. Across our "
    "investigations into the Council's special educational needs service, families waited on "
    "average {weeks} weeks beyond the statutory deadline. I recognise the national pressure on "
    "these services, but such delays have a real impact on children's schooling.",
    # further report after refusal
    "I am disappointed to report that we had to issue a further report under section 31(2) of "
    "the Local Government Act 1974 after the Council declined to accept our recommendations on "
    "a planning enforcement complaint. Such reports are rare, and I hope members will reflect on "
    "what led to this outcome.",
    # pandemic casework pause
    "We know that the Council, like every authority, had to redeploy staff at short notice in "
    "response to the pandemic. We paused our casework in the spring to relieve pressure on "
    "front-line services, and I am grateful for the flexibility your officers showed when we "
    "restarted our investigations.",
    # training uptake
    "I was pleased that officers from {authority} attended our effective complaint handling "
    "course in {month}. Investment of this kind shows a real commitment to learning, and I would "
    "encourage you to extend it to staff in children's services, where most complaints about "
    "the Council arise.",
    # record keeping
    "A theme in several of this year's complaints was poor record keeping. Where decisions are "
    "not properly written down, the Council cannot show that it acted fairly and we cannot "
    "reach a firm view. I would urge the Council to remind staff of the importance of clear, "
    "contemporaneous notes.",
    # housing and temporary accommodation
    "Housing continues to generate the largest share of the complaints we receive about "
    "{authority}. Many concern the suitability of temporary accommodation and the time families "
    "spend in bed and breakfast. I hope the Council will use our decisions to inform the review "
    "of its homelessness strategy.",
    # agreed remedy carried out late
    "On one occasion the Council agreed to our recommendations but then took {weeks} weeks to "
    "apologise and arrange the agreed payment. An apology that arrives months late loses much "
    "of its value. I would be grateful if you could make sure that agreed remedies are tracked "
    "and completed on time.",
    # scrutiny of last year's letter
    "I was encouraged that the Council's scrutiny committee discussed last year's letter in "
    "public and asked officers to report back on the actions taken. Democratic oversight of "
    "this kind helps the lessons of complaints travel beyond the services concerned.",
    # early remedies
    "In a significant number of cases the Council had already recognised its fault and offered "
    "a fair remedy before the complaint came to us. That shows a mature approach to complaint "
    "handling, and I would like to thank the officers involved for their openness.",
    # documents withheld
    "Our investigators again had difficulty obtaining documents from the Council within the "
    "timescales we set. In one case it took more than {weeks} weeks, and the threat of a witness "
    "summons, before we received the information we needed. I trust this will not happen again.",
    # parking appeals
    "A number of complaints concerned the Council's handling of appeals against parking penalty "
    "charges. A motorist who disputes a charge is entitled to a considered reply to the points "
    "they raise, not a standard letter. I would ask the Council to review the template "
    "responses its parking team relies on.",
    # children's statutory procedure
    "We continue to see cases where the Council has not followed the statutory three-stage "
    "procedure for complaints about children's social care. When that procedure is delayed or "
    "refused, families lose an independent investigation, and our own work takes longer.",
    # welcome to a new chief executive
    "As this is the first annual letter since your appointment, I would like to welcome you to "
    "your role. I hope you find the enclosed figures a useful starting point; my staff would be "
    "happy to meet your senior team to discuss how we can best work together.",
    # safeguarding
    "Several investigations found that the Council had not acted adequately on concerns about "
    "the safety of vulnerable adults. In {count} cases safeguarding enquiries were started late "
    "or closed without the person's views being sought. I would welcome an update on what has "
    "changed since.",
    # commissioned care providers
    "We also received complaints about care homes the Council commissions. Where the Council "
    "arranges someone's care it remains responsible for the service they receive, and we "
    "expect it to make sure providers learn from our findings too.",
    # planning notifications
    "Complaints about planning were more frequent this year. In particular we found fault in "
    "how neighbours were told about applications and how their objections were weighed in "
    "officers' reports to committee.",
)

_FRACTIONS = ("three quarters", "half", "a third", "nearly two thirds", "more than half")
_MONTHS = ("January", "February", "March", "May", "June", "September", "October", "November")
_COUNTS = ("two", "three", "four", "five", "several")


def fill_unique(template: str, authority: str, rng: random.Random) -> str:
    """One pool paragraph with its slots filled for a letter to ``authority``."""
    return template.format(
        authority=authority,
        fraction=rng.choice(_FRACTIONS),
        month=rng.choice(_MONTHS),
        weeks=rng.randint(6, 30),
        count=rng.choice(_COUNTS),
    )
