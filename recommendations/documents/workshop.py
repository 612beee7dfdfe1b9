"""The Bangkok 2006 workshop: its source text and our reading of it.

Everything here comes from the workshop summary (fixtures/source/) or from the checked
reference facts the project keeps with their sources; what a source does not establish is
stored as unverified or left out for the secretariat to enter. `build_workshop` turns this
into database rows; fixtures/bangkok-2006.json is its output (see `make fixture`).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ..models import Actor, Meeting, Paragraph, Participation, government
from .importer import ImportResult, import_outcomes

CODE = "bangkok-2006"
SOURCE = Path(settings.BASE_DIR) / "fixtures" / "source" / "apc-gcim-workshop-bangkok-2006.txt"
SEED = "the workshop summary, paragraph 1"

MEETING = {
    "title": "Workshop on the Implications of the Report of the Global Commission on International Migration "
    "(GCIM) on the Asia-Pacific region",
    "place": "Bangkok, Thailand",
    "start_date": datetime.date(2006, 4, 26),
    "end_date": datetime.date(2006, 4, 28),
    "host": "Royal Thai Government",
    "prepares_for": "United Nations High-level Dialogue on International Migration and Development",
    "prepares_for_place": "United Nations Headquarters, New York",
    "prepares_for_start": datetime.date(2006, 9, 14),
    "prepares_for_end": datetime.date(2006, 9, 15),
}

GOVERNMENTS = {
    "THA": "Host of the workshop (Royal Thai Government), named in paragraph 1 of the summary.",
    "AUS": "APC participating government (hosted APC meetings). Attendance at the Bangkok workshop is not recorded.",
    "VNM": "APC participating government (hosted APC meetings). Attendance at the Bangkok workshop is not recorded.",
}

ORGANISATIONS = [
    # code, short name, name, kind, description, founded, website, website checked
    ("IOM", "IOM", "International Organization for Migration", "international_organisation",
     "Intergovernmental organisation (UN related organisation since 2016)", 1951, "https://iom.int", True),
    ("UNHCR", "UNHCR", "Office of the United Nations High Commissioner for Refugees", "international_organisation",
     "UN agency", 1950, "https://unhcr.org", True),
    ("ILO", "ILO", "International Labour Organization", "international_organisation",
     "UN specialised agency", 1919, "https://ilo.org", False),
    ("ESCAP", "UNESCAP", "United Nations Economic and Social Commission for Asia and the Pacific",
     "international_organisation", "UN regional commission (founded as ECAFE)", 1947, "https://unescap.org", True),
    ("UNDP", "UNDP", "United Nations Development Programme", "international_organisation",
     "UN programme", 1965, "https://undp.org", False),
    ("APC", "APC", "Intergovernmental Asia-Pacific Consultations on Refugees, Displaced Persons and Migrants",
     "regional_process", "Regional consultative process; its website has been inactive since 2011", 1996,
     "https://apcprocess.net", True),
    ("BALI", "Bali Process", "Bali Process on People Smuggling, Trafficking in Persons and Related Transnational Crime",
     "regional_process", "Regional consultative process co-chaired by Indonesia and Australia", 2002,
     "https://baliprocess.net", True),
    ("PIDC", "PIDC", "Pacific Immigration Directors' Conference", "regional_process",
     "Regional consultative process, renamed Pacific Immigration Development Community in 2018/2019", 1996,
     "https://pidcsec.org", True),
]  # fmt: skip

STAKEHOLDER_GROUPS = {
    "ALL-STATES": "All States",
    "CIVIL-SOCIETY": "Civil society",
    "PRIVATE-SECTOR": "Private sector",
    "TRADE-UNIONS": "Trade unions",
    "EMPLOYMENT-SECTOR": "Employment sector",
    "DONOR-COUNTRIES": "Donor countries",
    "INTERNATIONAL-ORGANISATIONS": "International organisations",
}

PARTICIPATIONS = {
    "THA": Participation.Role.HOST,
    "APC": Participation.Role.CONVENER,
    "IOM": Participation.Role.PARTICIPANT,
    "UNHCR": Participation.Role.PARTICIPANT,
    "ILO": Participation.Role.OBSERVER,
    "ESCAP": Participation.Role.OBSERVER,
    "UNDP": Participation.Role.OBSERVER,
    "PIDC": Participation.Role.OBSERVER,
}

REGIONAL_PROCESSES = ["APC", "BALI", "PIDC"]

# Which actors each paragraph names or addresses, and why. "Participants", "countries" and
# "Governments" in the summary are the States; "regional processes" are the three the text
# itself names in paragraph 23. Paragraphs 1-3, 5 and 6 report the meeting and address no one.
ADDRESSEES: dict[int, tuple[list[str], str]] = {
    4: (["ALL-STATES", "IOM", "UNHCR", "PRIVATE-SECTOR", "CIVIL-SOCIETY"],
        "suggests national preparatory meetings for the HLD involving IOM, UNHCR, private sector and civil society"),
    7: (["ALL-STATES", "INTERNATIONAL-ORGANISATIONS"],
        "national policy coherence and laws; relevant international organizations may assist Governments"),
    8: (["ALL-STATES"], "Asia-Pacific countries as sending, receiving and transit countries"),
    9: (["ALL-STATES"], "collaboration between sending and receiving countries"),
    10: (["ALL-STATES"], "host countries assisting displaced persons and refugees"),
    11: (["ALL-STATES"], "the negative impacts States are to reduce"),
    12: (["ALL-STATES", *REGIONAL_PROCESSES],
         "collaboration between countries, bilateral and through regional processes"),
    13: (["ALL-STATES"], "States' responsibility to protect all migrants"),
    14: (["ALL-STATES", "INTERNATIONAL-ORGANISATIONS", "CIVIL-SOCIETY", "TRADE-UNIONS", "EMPLOYMENT-SECTOR"],
         "national action plans involving international organizations, civil society, trade unions and the "
         "employment sector"),
    15: (["ALL-STATES"], "arrangements between countries of origin, transit and destination"),
    16: (["ALL-STATES"], "policies against trafficking and smuggling, coordinated between countries"),
    17: (["ALL-STATES"], "migration and development as part of managing migration"),
    18: (["ALL-STATES"], "shared responsibility of countries of origin and destination for brain drain"),
    19: (["ALL-STATES"], "all countries require a coherent national policy"),
    20: (["ALL-STATES"], "migration in national and regional development strategies"),
    21: (["ALL-STATES"], "legislation on remittances and portable social security"),
    22: (["ALL-STATES", *REGIONAL_PROCESSES], "partnership at all levels, particularly bilateral and regional"),
    23: (REGIONAL_PROCESSES, "names APC, the Bali Process and PIDC"),
    24: (["IOM", "UNHCR", "DONOR-COUNTRIES"], "names IOM, UNHCR and donor countries"),
    25: (["ALL-STATES"], "the participants' expectations of the HLD"),
}  # fmt: skip


@transaction.atomic
def build_workshop() -> ImportResult:
    """Import the workshop's source text and apply the reading above, idempotently."""
    result = import_outcomes(text=SOURCE.read_text(encoding="utf-8"), code=CODE, title=MEETING["title"])
    meeting = result.meeting
    for name, value in MEETING.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save()

    actors = {}
    for code, notes in GOVERNMENTS.items():
        actors[code] = _upsert(government(code, notes=notes))
    for code, short_name, name, kind, description, founded, website, checked in ORGANISATIONS:
        actors[code] = _upsert(
            Actor(
                code=code,
                short_name=short_name,
                name=name,
                kind=kind,
                description=description,
                founded_year=founded,
                website=website,
                website_verified=checked,
            )
        )
    for code, name in STAKEHOLDER_GROUPS.items():
        actors[code] = _upsert(
            Actor(
                code=code,
                short_name=name,
                name=name,
                kind=Actor.Kind.STAKEHOLDER_GROUP,
                description="Stakeholder group named in the workshop summary",
            )
        )

    for code, role in PARTICIPATIONS.items():
        Participation.objects.update_or_create(
            meeting=meeting, actor=actors[code], defaults={"role": role, "verified": True, "source": SEED}
        )
    for paragraph in Paragraph.objects.filter(meeting=meeting):
        codes, _reason = ADDRESSEES.get(paragraph.number, ([], ""))
        paragraph.addressees.set([actors[code] for code in codes])
    return result


def _upsert(actor: Actor) -> Actor:
    fields = {f.name: getattr(actor, f.name) for f in Actor._meta.concrete_fields if f.name not in ("id", "code")}
    saved, _created = Actor.objects.update_or_create(code=actor.code, defaults=fields)
    return saved


def workshop_loaded() -> bool:
    return Meeting.objects.filter(code=CODE).exists()
