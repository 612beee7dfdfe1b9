"""Country names as the United Nations writes them.

They come from OCHA's countries and territories taxonomy as hdx-python-country ships it: the
UNTERM short name ("Viet Nam", "Republic of Korea") and formal name ("the Socialist Republic
of Viet Nam"), keyed by ISO 3166-1 alpha-3 code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CountryNames:
    name: str
    short_name: str


def un_names(code: str) -> CountryNames | None:
    """The UN's names of the country with this ISO 3166-1 alpha-3 code; None if there is none."""
    # Imported here, not with the models: the package brings a large set of libraries with it,
    # and only naming a government needs it. It reads the copy of the taxonomy it ships, never
    # the live feed, so names are the same on every machine and need no network.
    from hdx.location.country import Country

    country = Country.get_country_info_from_iso3(code, use_live=False)
    if country is None:
        return None
    short_name = country["English Short"]
    # UNTERM writes a formal name as it stands in a sentence ("the Kingdom of Thailand"); as a
    # name on its own it starts without the article. Territories have no formal name.
    formal = country["English Formal"] or short_name
    return CountryNames(name=formal.removeprefix("the "), short_name=short_name)
