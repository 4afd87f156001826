"""Figures: the numbers a post states (troops, drones, money, percentages, distances,
durations), with what they count.

A figure is found from the parse, not from a list of sentences: a number (digits, number
words, scales such as "bn" or "million", vague amounts such as "tens of thousands") together
with the noun it counts (its syntactic head or the noun after it), a currency sign or a
percent sign. Calendar dates, clock times, years and ordinals are not figures. Hedges before
the number ("about", "more than", "nearly", "an estimated") mark it approximate.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from spacy.tokens import Doc, Span, Token

from sitroom.records import Figure

NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
}
SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "tn": 1e12,
    "trn": 1e12,
}
# Plural scale words used as vague amounts: "thousands of people", "tens of thousands".
VAGUE = {"dozens": 12, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
FRACTIONS = {
    "half": 0.5,
    "third": 1 / 3,
    "thirds": 2 / 3,
    "quarter": 0.25,
    "quarters": 0.75,
    "fifth": 0.2,
    "tenth": 0.1,
}
# The value of one part named by a fraction word, singular or plural: "three-quarters" is
# 3 x 0.25, "two-thirds" 2 x 1/3.
PER_PART = {
    "half": 0.5,
    "halves": 0.5,
    "third": 1 / 3,
    "thirds": 1 / 3,
    "quarter": 0.25,
    "quarters": 0.25,
    "fifth": 0.2,
    "fifths": 0.2,
    "tenth": 0.1,
    "tenths": 0.1,
}
CURRENCY_SIGNS = {"£": "gbp", "$": "usd", "€": "eur", "₴": "uah", "₽": "rub"}
CURRENCY_WORDS = {
    "pounds": "gbp",
    "pound": "gbp",
    "dollars": "usd",
    "dollar": "usd",
    "euros": "eur",
    "euro": "eur",
    "roubles": "rub",
    "rubles": "rub",
    "hryvnias": "uah",
    "hryvnia": "uah",
}
UNIT_WORDS = {
    "kilometres": "km",
    "kilometers": "km",
    "kilometre": "km",
    "kilometer": "km",
    "km": "km",
    "miles": "miles",
    "mile": "miles",
    "metres": "m",
    "meters": "m",
    "per": "percent",
    "percent": "percent",
    "%": "percent",
    "year": "years",
    "years": "years",
    "decade": "years",
    "decades": "years",
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "day": "days",
    "days": "days",
    "hour": "hours",
    "hours": "hours",
    "minute": "minutes",
    "minutes": "minutes",
    "nations": "countries",
    "nation": "countries",
    "states": "countries",
    "countries": "countries",
    "country": "countries",
    "strong": "troops",
    "tonnes": "tonnes",
    "tons": "tonnes",
    "times": "times",
    "magnitude": "magnitude",
}
_WORDS = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "data" / "figure_words.yaml").read_text("utf-8")
)
_RELATIVE_TIME_UNITS = frozenset(_WORDS["relative_time_units"].split())
_INCIDENTAL_PEOPLE = frozenset(_WORDS["incidental_people"].split())
_INCIDENTAL_PROPS = frozenset(_WORDS["incidental_props"].split())
_CLOCK_AFTER = frozenset(_WORDS["clock_after"].split())
_AGE_BEFORE = [tuple(w.split()) for w in _WORDS["age_before"]]
_METRE_DIMENSIONS = frozenset(_WORDS["metre_dimensions"].split())
_MAGNITUDE_NOUNS = frozenset(_WORDS["magnitude_nouns"].split())
_BOUNDS = [(tuple(w.split()), "lower") for w in _WORDS["lower_bound_before"]] + [
    (tuple(w.split()), "upper") for w in _WORDS["upper_bound_before"]
]
DURATIONS = {"years", "weeks", "months", "days", "hours", "minutes"}
HEDGES = {
    "about",
    "around",
    "roughly",
    "some",
    "nearly",
    "almost",
    "approximately",
    "estimated",
    "over",
    "more",
    "least",
    "than",
    "under",
    "fewer",
    "less",
    "circa",
    "c.",
    "well",
    "upwards",
    "few",
    "several",
    "tens",
    "hundreds",
    "thousands",
    "millions",
}
APPROX_ONLY_IF = {"up"}  # "up to 5%" is a ceiling, not an estimate
# "than" hedges only after these ("more than 700"; not "rather than five days").
_THAN_AFTER = {"more", "less", "fewer"}
MONTHS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}
_DIGITS_RE = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")
_GLUED_RE = re.compile(r"^(?P<num>\d+(?:[.,]\d+)*)(?P<suffix>bn|m|mn|k|tn|km|%)$", re.IGNORECASE)
_COMPOUND_RE = re.compile(
    r"^(?P<num>[\d,.]+|[a-z]+)-(?P<unit>year|month|week|day|hour|minute|strong|mile|km|kilometre)(?:s)?(?:-old|-long)?$",
    re.IGNORECASE,
)
_TIME_RE = re.compile(r"^\d{1,2}:\d{2}$")


def _word_value(token: Token) -> float | None:
    text = token.lower_.replace("-", " ")
    if _DIGITS_RE.match(token.text):
        return float(token.text.replace(",", ""))
    parts = text.split()
    if parts and all(p in NUMBER_WORDS for p in parts):
        return float(sum(NUMBER_WORDS[p] for p in parts))
    return None


def _unit_of(token: Token) -> tuple[str | None, Token | None]:
    """The unit a number token counts: a unit word or counted noun after it, or its head."""
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    candidates = []
    if nxt is not None:
        candidates.append(nxt)
        if nxt.pos_ in ("ADJ", "PROPN") and nxt.i + 1 < len(token.doc):
            candidates.append(token.doc[nxt.i + 1])  # "two Ukrainian banks"
            if token.doc[nxt.i + 1].pos_ in ("ADJ", "PROPN") and nxt.i + 2 < len(token.doc):
                candidates.append(token.doc[nxt.i + 2])
    if token.dep_ in ("nummod", "quantmod", "compound", "amod") and token.head.i > token.i:
        # The noun the parser says the number modifies beats the next word
        # ("two largest state banks" counts banks).
        if token.head.pos_ == "NOUN" and token.head.i - token.i <= 4:
            candidates.insert(0, token.head)
        else:
            candidates.append(token.head)
    for cand in candidates:
        word = cand.lower_
        if word in UNIT_WORDS:
            return UNIT_WORDS[word], cand
        if word in CURRENCY_WORDS:
            return CURRENCY_WORDS[word], cand
        if cand.pos_ == "NOUN" and cand.is_alpha and word not in MONTHS:
            return _compound_noun(cand)
    return None, None


def _compound_noun(token: Token) -> tuple[str, Token]:
    """A counted noun with the hyphenated rest of its word: "counter-protesters" (the
    tokenizer splits it at the hyphen), with the token it ends on."""
    doc, i = token.doc, token.i
    if (
        i + 2 < len(doc)
        and not token.whitespace_
        and doc[i + 1].text == "-"
        and not doc[i + 1].whitespace_
        and doc[i + 2].is_alpha
    ):
        return f"{token.lower_}-{doc[i + 2].lower_}", doc[i + 2]
    return token.lower_, token


def _is_calendar(token: Token) -> bool:
    """Part of a date or clock time: "16 February", "2014", "03:00"."""
    if _TIME_RE.match(token.text):
        return True
    doc = token.doc
    if token.i + 1 < len(doc) and doc[token.i + 1].lower_ in _CLOCK_AFTER:
        return True  # "1pm", "9 a.m.", "16 GMT"
    if _year_range_end(token):
        return True
    text = token.text.replace(",", "")
    if token.text.isdigit() and len(text) == 4 and 1800 <= int(text) <= 2100:  # "2,000" is a count
        return True
    window = [t.lower_ for t in token.doc[max(0, token.i - 1) : token.i + 2]]
    if text.isdigit() and int(text) <= 31 and any(w in MONTHS for w in window):
        return True
    if (
        token.ent_type_ == "TIME"
        and any(t.lower_ in ("am", "pm", "gmt", "bst") for t in token.ent_.__iter__())
        if hasattr(token, "ent_")
        else False
    ):
        return True
    return False


def _year_range_end(token: Token) -> bool:
    """The "18" of "2017-18": a season or financial year, not a count."""
    doc, i = token.doc, token.i
    if i < 2 or doc[i - 1].text not in ("-", "–", "/") or not token.text.isdigit():
        return False
    year = doc[i - 2].text
    return len(token.text) == 2 and year.isdigit() and len(year) == 4 and 1800 <= int(year) <= 2100


def _is_score(doc: Doc, i: int) -> bool:
    """Either side of a result written "3-0" or "2-1" (no spaces, the first side not the
    smaller): a score, not a count. A range ("8-9 hours") rises from its first number."""
    for a in (i, i - 2):
        if a < 0 or a + 2 >= len(doc) or doc[a + 1].text not in ("-", "–"):
            continue
        left, dash, right = doc[a], doc[a + 1], doc[a + 2]
        if (
            left.whitespace_
            or dash.whitespace_
            or not (left.text.isdigit() and right.text.isdigit())
        ):
            continue
        if int(left.text) >= int(right.text) and int(left.text) < 100:
            return True
    return False


def _hedge_word_at(doc: Doc, k: int) -> bool:
    """Whether token k belongs to the hedge or bound before a number: "than" only after
    "more", "less" or "fewer" ("rather than five days" is no hedge), "at" only before
    "least" or "most" ("at four stations" is a place)."""
    word = doc[k].lower_
    if word == "than":
        return k > 0 and doc[k - 1].lower_ in _THAN_AFTER
    if word == "at":
        return k + 1 < len(doc) and doc[k + 1].lower_ in ("least", "most")
    return word in HEDGES or word in ("an", "a", "estimated")


def _hedged(doc: Doc, start: int) -> bool:
    before = [t.lower_ for t in doc[max(0, start - 3) : start]]
    if not before:
        return False
    if before[-2:] == ["up", "to"]:
        return False
    if before[-1] == "than" and not _hedge_word_at(doc, start - 1):
        return False
    if before and before[-1] in ("an", "a") and start >= 2 and doc[start - 2].lower_ == "estimated":
        return True
    return any(w in HEDGES for w in before[-2:]) or before[-1:] == ["estimated"]


def _span_start(doc: Doc, i: int) -> int:
    """Include the hedge words before a number in its span ("well over", "more than")."""
    j = i
    while j > 0 and _hedge_word_at(doc, j - 1) and i - j < 3:
        if (
            doc[j - 1].lower_ in ("a", "an")
            and (j - 2 < 0 or doc[j - 2].lower_ not in HEDGES | {"estimated"})
            and doc[j - 1].nbor(1).lower_ != "estimated"
        ):
            break
        j -= 1
    while (
        j < i and doc[j].lower_ in ("a", "an") and doc[j].nbor(1).lower_ not in ("estimated", "few")
    ):
        j += 1
    return j


def _counted(head: Token | None, end: int) -> str | None:
    if head is None:
        return None
    tokens = [t for t in head.subtree if t.i >= head.i and not t.is_punct]
    tokens = [t for t in tokens if t.i - head.i < 7]
    if not tokens:
        return head.text
    span = head.doc[head.i : tokens[-1].i + 1]
    return span.text


def extract_figures(sdoc: Doc, field: str) -> list[Figure]:
    """Figures stated in one parsed text (a post's title or body)."""
    if field == "title":
        # A headline restates its post's numbers; the body is the record of them.
        return []
    doc = sdoc
    out: list[Figure] = []
    used: set[int] = set()
    last_unit: str | None = None
    i = 0
    n = len(doc)
    while i < n:
        if i in used:
            i += 1
            continue
        found = _figure_at(doc, i, last_unit)
        if found is None:
            i += 1
            continue
        figure, end = found
        if _incidental(doc, i, end, figure):
            i = end
            continue
        figure = _widened(doc, figure, used)
        out.append(figure)
        used.update(range(i, end))
        if _sets_sentence_unit(figure):
            last_unit = figure.unit
        i = end
    return out


def _sets_sentence_unit(figure: Figure) -> bool:
    """Whether a bare count after this figure may take its unit ("40 people, and 12 more"):
    not a percentage, an amount of money ("£71m ... remained at 590,000" counts no
    pounds), an age ("Ann Lee, 34"), or a duration written as a modifier ("a three-day
    match": a later "275" is not days)."""
    if figure.unit in ("percent", "count") or figure.counted == "age":
        return False
    if figure.unit in CURRENCY_SIGNS.values() or figure.unit in CURRENCY_WORDS.values():
        return False
    return not (figure.unit in DURATIONS and "-" in figure.text and " " not in figure.text)


def _incidental(doc: Doc, i: int, end: int, figure: Figure) -> bool:
    """Not a figure a reader tracks: a relative time ("14 min ago", "two months ago"), two
    people or parties of the scene counted in passing ("the two leaders met"), or the props
    of a scene ("the two lecterns")."""
    if end < len(doc) and doc[end].lower_ == "ago":
        return doc[end - 1].lower_ in _RELATIVE_TIME_UNITS
    head = (figure.counted or "").split()[:1]
    noun = head[0].lower() if head else figure.unit
    if figure.value == 2 and (figure.unit in _INCIDENTAL_PEOPLE or noun in _INCIDENTAL_PEOPLE):
        return True
    return figure.value in (2, 3) and noun in _INCIDENTAL_PROPS


def _widened(doc: Doc, figure: Figure, used: set[int]) -> Figure:
    """A range written before the figure ("six to seven hours": 6, up to 7), "half a
    million", and the bound its words set ("at least 19": a lower bound, not an
    approximation)."""
    span = doc.char_span(figure.start, figure.end, alignment_mode="expand")
    if span is None:
        return figure
    k = span.start
    while k < span.end and doc[k].lower_ in HEDGES | {"at", "a", "an"} and not doc[k].like_num:
        k += 1
    low = _range_start(doc, k, used)
    if low is not None and low[0] < figure.value:
        value, first = low
        figure.value_max, figure.value = figure.value, value
        hedge = _span_start(doc, first)  # "about 50 to 60 prisoners"
        figure.approx = figure.approx or _hedged(doc, first)
        figure.start, figure.text = doc[hedge].idx, doc.text[doc[hedge].idx : figure.end]
    elif span.start > 0 and doc[span.start - 1].lower_ == "half" and span[0].lower_ in ("a", "an"):
        half = doc[span.start - 1]
        figure.value /= 2
        figure.start, figure.text = half.idx, doc.text[half.idx : figure.end]
    _set_bound(doc, figure, k)
    return figure


def _set_bound(doc: Doc, figure: Figure, k: int) -> None:
    """The bound the words before the number (token k) set, with those words taken into the
    figure's text: "at least 19", "up to 5,000 troops", "less than an hour"."""
    first = k
    while first > 0 and doc[first - 1].lower_ in ("a", "an") and k - first < 2:
        first -= 1  # "less than an hour"
    before = tuple(t.lower_ for t in doc[max(0, first - 3) : first])
    for words, kind in _BOUNDS:
        if before[-len(words) :] == words:
            figure.bound, figure.approx = kind, False
            start = doc[first - len(words)].idx
            if start < figure.start:
                figure.start, figure.text = start, doc.text[start : figure.end]
            return


def _range_start(doc: Doc, k: int, used: set[int]) -> tuple[float, int] | None:
    """(low value, token index) of "<low> to" / "<low>-" just before token k."""
    if k < 2 or doc[k - 1].lower_ not in ("to", "-", "–") or (k - 2) in used:
        return None
    low = _word_value(doc[k - 2])
    return (low, k - 2) if low is not None else None


_HYPHEN_UNITS = {
    "strong",
    "year",
    "years",
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "mile",
    "miles",
    "km",
    "kilometre",
    "kilometer",
}
_DURATION_NOUNS = {
    "hour": ("hours", 1),
    "minute": ("minutes", 1),
    "week": ("weeks", 1),
    "month": ("months", 1),
    "year": ("years", 1),
    "decade": ("years", 10),
    "day": ("days", 1),
    "fortnight": ("weeks", 2),
}
_DURATION_LEADS = {
    "been",
    "for",
    "over",
    "within",
    "in",
    "than",
    "about",
    "nearly",
    "almost",
    "only",
    "just",
    "under",
    "some",
    "around",
}
_NAME_NUMBER_BEFORE = ("PROPN",)


def _special_at(doc: Doc, i: int) -> tuple[Figure, int] | None:
    """Shapes the token-level reader splits apart: "1,500-strong", "90-minute", "hour-long",
    "one-third", "a few hundred", "more than a thousand", "over a decade", "a week"."""
    n = len(doc)
    tok = doc[i]
    nxt = [t.lower_ for t in doc[i + 1 : i + 4]]
    value = _word_value(tok)
    # number - unit  ("1,500-strong", "90-minute", "29-year-old")
    if value is not None and len(nxt) >= 2 and nxt[0] == "-" and nxt[1] in _HYPHEN_UNITS:
        if value == 0:
            return None  # "zero-hours contracts": a kind of contract, not a quantity
        unit = UNIT_WORDS.get(nxt[1], nxt[1])
        end = i + 3
        if end + 1 < n and doc[end].text == "-" and doc[end + 1].lower_ == "old":
            end += 2
        return _make(doc, _span_start(doc, i), end, value, unit, None, None), end
    # hour - long
    if tok.lower_ in _DURATION_NOUNS and nxt[:2] == ["-", "long"]:
        unit, amount = _DURATION_NOUNS[tok.lower_]
        return _make(doc, i, i + 3, float(amount), unit, None, None), i + 3
    # one - third
    if value is not None:
        half = _and_a_half(doc, i, value)
        if half is not None:
            return half
    if tok.lower_ in NUMBER_WORDS and len(nxt) >= 2 and nxt[0] == "-" and nxt[1] in PER_PART:
        value = NUMBER_WORDS[tok.lower_] * PER_PART[nxt[1]]
        return _make(
            doc, _span_start(doc, i), i + 3, round(value, 4), "fraction", None, None
        ), i + 3
    if tok.lower_ in ("a", "an"):
        # a few hundred soldiers / a thousand soldiers / a dozen
        j = i + 1
        few = j < n and doc[j].lower_ in ("few", "couple")
        if few:
            j += 1
        if j < n and doc[j].lower_ in ("hundred", "thousand", "dozen", "million"):
            value = {"hundred": 100.0, "thousand": 1000.0, "dozen": 12.0, "million": 1e6}[
                doc[j].lower_
            ]
            end = j + 1
            unit, head = _unit_of(doc[j])
            if head is not None and head.i >= end:
                end = head.i + 1
            if unit is None:
                return None
            fig = _make(doc, _span_start(doc, i), end, value, unit, head, None)
            fig.approx = fig.approx or few
            return fig, end
        # over a decade / been a week (a duration, not "a week ago")
        if (
            j < n
            and doc[j].lower_ in _DURATION_NOUNS
            and i > 0
            and doc[i - 1].lower_ in _DURATION_LEADS
        ):
            if j + 1 < n and doc[j + 1].lower_ in ("ago", "later", "earlier", "before"):
                return None
            unit, amount = _DURATION_NOUNS[doc[j].lower_]
            start = (
                i - 1
                if doc[i - 1].lower_
                in ("over", "about", "nearly", "almost", "some", "around", "under")
                else i
            )
            fig = _make(doc, start, j + 1, float(amount), unit, None, None)
            return fig, j + 1
    return None


FigureAt = tuple[Figure, int]  # a figure and the token index after it


def _and_a_half(doc: Doc, i: int, value: float) -> FigureAt | None:
    """ "two and a half hours", "two-and-a-half years", "one and a half million people"."""
    words = [t.lower_ for t in doc[i + 1 : i + 7] if t.text not in ("-", "–")]
    if words[:3] != ["and", "a", "half"]:
        return None
    j = i + 1
    while doc[j].lower_ != "half":
        j += 1
    value += 0.5
    end = j + 1
    if end < len(doc) and doc[end].lower_ in ("hundred", "thousand", "million", "billion"):
        value *= SCALES[doc[end].lower_]
        end += 1
    unit, head = _unit_of(doc[end - 1])
    if unit is None:
        return None
    if head is not None and head.i >= end:
        end = head.i + 1
    return _make(doc, _span_start(doc, i), end, value, unit, head, None), end


# Words before a number that make it a label, not a quantity ("flight 17", "Section 60").
_LABEL_BEFORE = frozenset(_WORDS["label_before"].split())
# Compound heads read as "one <unit>" ("hour-long", "day-long").
_ONE_UNIT_COMPOUNDS = ("hour", "day", "week", "month", "year")


def _figure_at(doc: Doc, i: int, last_unit: str | None) -> FigureAt | None:
    """The figure that starts at token i, with the index after it; None when the number
    there is not a figure a reader tracks (a name, a date, a label, an incidental count)."""
    special = _special_at(doc, i)
    if special is not None:
        return special
    if doc[i].lower_ in ("zero", "0") and i + 1 < len(doc) and doc[i + 1].text == "-":
        return None  # "zero-hours contracts": a kind of contract, not a quantity
    if _is_name_number(doc, i):
        return None
    start = i
    currency = None
    # Currency sign before the number: "£64.6bn", "$ 270bn", "over $300 billion".
    if doc[i].text in CURRENCY_SIGNS and i + 1 < len(doc):
        currency = CURRENCY_SIGNS[doc[i].text]
        i += 1
    tok = doc[i]
    compound = _COMPOUND_RE.match(tok.text)
    if compound and not currency:
        return _compound_figure(doc, i, compound)
    glued = _GLUED_RE.match(tok.text)
    if glued:
        value, unit, end = _glued_value(glued), _glued_unit(glued), i + 1
    else:
        if _word_value(tok) is None and tok.lower_ in VAGUE and not currency:
            return _vague_figure(doc, i, last_unit)
        if _word_value(tok) is None:
            return _fraction_at(doc, i)
        if not _is_quantity_token(doc, i):
            return None
        value, end = _scaled(doc, i, _word_value(tok) or 0.0, currency)
        unit = None
    return _finish(doc, start, i, end, value, unit, currency, last_unit)


def _is_name_number(doc: Doc, i: int) -> bool:
    """A number that is part of a name: "Nord Stream 2", "Daytona 500", "Minsk 2"."""
    tok = doc[i]
    return (
        i > 0
        and doc[i - 1].pos_ in _NAME_NUMBER_BEFORE
        and doc[i - 1].lower_ not in MONTHS
        and doc[i - 1].text[:1].isupper()
        and tok.text[:1].isdigit()
        and not doc[i - 1].is_sent_start
    )


def _compound_figure(doc: Doc, i: int, compound: re.Match[str]) -> FigureAt | None:
    """ "11-minute", "two-year", "hour-long": a number and its unit in one token."""
    tok = doc[i]
    value = _word_value_text(compound.group("num"))
    if value is None:
        if compound.group(
            "num"
        ).lower() not in _ONE_UNIT_COMPOUNDS and not tok.text.lower().endswith("-long"):
            return None
        value = 1.0
    word = compound.group("unit").lower()
    unit = UNIT_WORDS.get(word + "s", UNIT_WORDS.get(word, word))
    return _make(doc, _span_start(doc, i), i + 1, value, unit, tok, None), i + 1


def _glued_value(glued: re.Match[str]) -> float:
    value = float(glued.group("num").replace(",", ""))
    suffix = glued.group("suffix").lower()
    return value if suffix in ("%", "km") else value * SCALES[suffix]


def _glued_unit(glued: re.Match[str]) -> str | None:
    return {"%": "percent", "km": "km"}.get(glued.group("suffix").lower())


def _vague_figure(doc: Doc, i: int, last_unit: str | None) -> FigureAt | None:
    """ "thousands of people", "tens of thousands of troops", "millions of dollars"."""
    n = len(doc)
    low = doc[i].lower_
    value = VAGUE[low]
    start, end, head = i, i + 1, None
    unit: str | None
    if i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in ("tens", "hundreds"):
        value *= 10 if doc[i - 2].lower_ == "tens" else 100
        start = i - 2
    if i + 2 < n and doc[i + 1].lower_ == "of" and doc[i + 2].lower_ in VAGUE:
        return None  # "hundreds of thousands": read at "thousands"
    if i + 1 < n and doc[i + 1].lower_ == "of":
        unit, head = _unit_after_of(doc, i + 1)
        end = (head.i + 1) if head is not None else i + 1
    elif i > 1 and doc[i - 1].lower_ == "of" and doc[i - 2].pos_ == "NOUN":
        unit = "people"  # "a crowd of thousands"
    elif (
        i > 0 and doc[i - 1].lower_ in ("of", "by", "in") or not (i + 1 < n and doc[i + 1].is_punct)
    ):
        return None  # "in their thousands", "billions" as an adjective: not a count
    else:
        unit = last_unit or "people"
    if unit is None:
        return None
    fig = _make(doc, _span_start(doc, start), end, value, unit, head, None)
    fig.approx = True
    return fig, end


def _is_quantity_token(doc: Doc, i: int) -> bool:
    """A number token that counts something: not a date, a label or an ordinal."""
    tok = doc[i]
    if _is_calendar(tok):
        return False
    if tok.like_num is False and not _DIGITS_RE.match(tok.text) and tok.lower_ not in NUMBER_WORDS:
        return False
    if i > 0 and doc[i - 1].lower_ in _LABEL_BEFORE:
        return False
    if _is_score(doc, i):
        return False
    if tok.ent_type_ == "TIME":
        # a duration ("seven hours", "six to seven hours") is a figure; a clock time is not
        return any(t.lower_ in DURATIONS for t in doc[i + 1 : i + 3])
    return tok.ent_type_ != "ORDINAL"


def _scaled(doc: Doc, i: int, value: float, currency: str | None) -> tuple[float, int]:
    """Scale words after the number: "1.5 million", "270 billion", "two bn", "$5 m"."""
    n, end = len(doc), i + 1
    while end < n and doc[end].lower_ in SCALES and doc[end].lower_ not in ("m", "b"):
        value *= SCALES[doc[end].lower_]
        end += 1
    if end < n and doc[end].lower_ in ("m", "m.", "bn", "k") and currency:
        value *= SCALES[doc[end].lower_.rstrip(".")]
        end += 1
    elif end < n and _glued_scale(doc, i, end):
        value *= SCALES[doc[end].lower_]
        end += 1
    return value, end


def _glued_scale(doc: Doc, i: int, end: int) -> bool:
    """A scale letter written onto a number with no currency: "2.5m doses", "4bn of them"
    are millions and billions; "30m deep" and "a 30m wall" (no plural noun) stay metres."""
    word = doc[end].lower_
    if doc[i].whitespace_ or word not in ("m", "k", "bn", "tn"):
        return False
    if word in ("bn", "tn"):
        return True
    after = [t for t in doc[end + 1 : end + 3]]
    if not after or after[0].lower_ in _METRE_DIMENSIONS:
        return False
    if after[0].lower_ == "of" or _plural(after[0]):
        return True
    return after[0].pos_ == "ADJ" and len(after) > 1 and _plural(after[1])


def _plural(token: Token) -> bool:
    """A plural noun, also where the tagger reads it as a verb ("1.5m jabs")."""
    word = token.lower_
    return token.tag_ == "NNS" or (
        token.is_alpha and word.endswith("s") and not word.endswith("ss") and token.pos_ != "ADV"
    )


def _percent_after(doc: Doc, end: int) -> int | None:
    """Index after "%", "per cent" or "percent" at `end`, or None."""
    n = len(doc)
    if end < n and doc[end].text == "%":
        return end + 1
    if end + 1 < n and doc[end].lower_ == "per" and doc[end + 1].lower_ == "cent":
        return end + 2
    if end < n and doc[end].lower_ == "percent":
        return end + 1
    return None


def _finish(
    doc: Doc,
    start: int,
    i: int,
    end: int,
    value: float,
    unit: str | None,
    currency: str | None,
    last_unit: str | None,
) -> FigureAt | None:
    """The unit of a number read so far (percent, currency, its head noun, or its
    sentence's for a bare count), and the figure."""
    head = None
    if unit is None:
        after = _percent_after(doc, end)
        if after is not None:
            unit, end = "percent", after
    if currency:
        unit = currency
    if unit is None and end == i + 1 and _is_age(doc, i, value):
        fig = _make(doc, _span_start(doc, start), end, value, "years", None, None)
        fig.counted = "age"
        return fig, end
    if unit is None and doc[end - 1].lower_ in SCALES and end < len(doc) and _plural(doc[end]):
        # "1.5m jabs": the plural after a scale word is what is counted, whatever its tag
        head = doc[end]
        unit, end = UNIT_WORDS.get(head.lower_, head.lower_), end + 1
    if unit is None:
        unit, head = _unit_of(doc[end - 1])
        if head is not None and head.i >= end:
            end = max(end, head.i + 1)
        if unit is None and end < len(doc) and doc[end].lower_ in CURRENCY_WORDS:
            unit, end = CURRENCY_WORDS[doc[end].lower_], end + 1
    if unit is None:
        unit, head = _unit_around_of(doc, i, end)
    if unit is None and _starts_range(doc, end):
        return None  # "50 to 60 prisoners": read as one range at its end
    if unit is None:
        # "more than 500", "There are four": a bare count takes the unit of its sentence.
        if value == 1 or doc[end - 1].lower_ == "one" or not _bare_count_ok(doc, i):
            return None
        unit = last_unit or "count"
    if value == 1.0 and doc[i].lower_ in ("one", "a", "an") and unit not in DURATIONS:
        return None
    if unit in _MAGNITUDE_NOUNS and not value.is_integer():
        unit = "magnitude"  # "a 7.7 quake"
    return _make(doc, _span_start(doc, start), end, value, unit, head, None), end


def _starts_range(doc: Doc, end: int) -> bool:
    """Whether "to <number>" or "-<number>" follows: the low end of a range."""
    if end + 1 >= len(doc) or doc[end].lower_ not in ("to", "-", "–"):
        return False
    return _word_value(doc[end + 1]) is not None


def _is_age(doc: Doc, i: int, value: float) -> bool:
    """A person's age: "aged 71", "over the age of 50", or a number set off by commas
    after a name or a person ("Ann Lee, 34, was held"; "a woman, 93,")."""
    word = doc[i].lower_
    if not (value.is_integer() and 1 <= value <= 120 and (word.isdigit() or word in NUMBER_WORDS)):
        return False
    k = i
    while k > 0 and i - k < 8 and (doc[k - 1].text in (",", "and") or doc[k - 1].like_num):
        k -= 1  # "aged 48, 41 and 29": every number of the list is an age
    before = tuple(t.lower_ for t in doc[max(0, k - 2) : k])
    if any(before[-len(words) :] == words for words in _AGE_BEFORE):
        return True
    return (
        i >= 2
        and doc[i - 1].text == ","
        and doc[i - 2].pos_ in ("PROPN", "NOUN")
        and i + 1 < len(doc)
        and doc[i + 1].text in (",", ")", ";")
    )


def _unit_around_of(doc: Doc, i: int, end: int) -> tuple[str | None, Token | None]:
    """The unit of a bare number from an "of" beside it: "3,000 of the 5,000 workers"
    (workers), "a magnitude of 5.4" (magnitude)."""
    if i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in UNIT_WORDS:
        return UNIT_WORDS[doc[i - 2].lower_], None
    if end >= len(doc) or doc[end].lower_ != "of":
        return None, None
    for t in doc[end + 1 : end + 5]:
        if t.lower_ in UNIT_WORDS or t.lower_ in CURRENCY_WORDS:
            return UNIT_WORDS.get(t.lower_) or CURRENCY_WORDS[t.lower_], None
        if t.pos_ == "NOUN" and t.tag_ == "NNS" and t.is_alpha:
            return t.lower_, None
        if t.pos_ not in ("DET", "NUM", "ADJ", "PART") and t.dep_ != "poss":
            break
    return None, None


def _bare_count_ok(doc: Doc, i: int) -> bool:
    """A number with no unit of its own that still counts something: after a hedge or a
    verb of being ("more than 500", "There are four"), before "of" or "more", closing a
    clause, or the subject of its verb ("12 were later charged")."""
    tok = doc[i]
    before = doc[i - 1].lower_ if i > 0 else ""
    after = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    if before in ("than", "are", "were", "of", "least", "about", "around", "nearly", "some"):
        return True
    if tok.pos_ != "NUM":
        return False
    # "all three have been freed", "the two were held": people named before, not a count
    subject = tok.dep_ in ("nsubj", "nsubjpass") and before not in _ANAPHORIC_BEFORE
    return after in ("of", "more", ".", ",") or subject


# Words before a bare number that make it point back at people already named.
_ANAPHORIC_BEFORE = {"all", "the", "both", "those", "these"}


def _unit_after_of(doc: Doc, of_index: int) -> tuple[str | None, Token | None]:
    for t in doc[of_index + 1 : of_index + 4]:
        if t.lower_ in CURRENCY_WORDS:
            return CURRENCY_WORDS[t.lower_], t
        if t.lower_ in UNIT_WORDS:
            return UNIT_WORDS[t.lower_], t
        if t.pos_ == "NOUN":
            return _compound_noun(t)
    return None, None


def _fraction_at(doc: Doc, i: int) -> tuple[Figure, int] | None:
    """ "roughly one-third", "around a fifth of", "two-thirds of"."""
    tok = doc[i]
    parts = tok.lower_.split("-")
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in PER_PART:
        value = NUMBER_WORDS[parts[0]] * PER_PART[parts[1]]
        end = i + 1
    elif (
        tok.lower_ in ("a", "one")
        and i + 1 < len(doc)
        and doc[i + 1].lower_ in FRACTIONS
        and doc[i + 1].lower_ != "half"
    ):
        value = FRACTIONS[doc[i + 1].lower_]
        end = i + 2
    else:
        return None
    hedged = _hedged(doc, i)
    followed_by_of = end < len(doc) and doc[end].lower_ == "of"
    if not (hedged or followed_by_of):
        return None
    s = _span_start(doc, i)
    scaled = _fraction_of_scale(doc, s, end, value)
    if scaled is not None:
        return scaled
    fig = _make(doc, s, end, round(value, 4), "fraction", None, None)
    return fig, end


def _fraction_of_scale(doc: Doc, start: int, end: int, value: float) -> FigureAt | None:
    """ "a quarter of a million homes": the fraction of a scale word is an amount."""
    words = [t.lower_ for t in doc[end : end + 3]]
    if len(words) < 3 or words[:2] not in (["of", "a"], ["of", "an"]):
        return None
    if words[2] not in ("hundred", "thousand", "million", "billion"):
        return None
    scale = doc[end + 2]
    unit, head = _unit_of(scale)
    if unit is None:
        return None
    stop = head.i + 1 if head is not None and head.i > scale.i else scale.i + 1
    return _make(doc, start, stop, value * SCALES[words[2]], unit, head, None), stop


def _word_value_text(text: str) -> float | None:
    text = text.lower().replace(",", "")
    try:
        return float(text)
    except ValueError:
        return float(NUMBER_WORDS[text]) if text in NUMBER_WORDS else None


def _make(
    doc: Doc,
    start: int,
    end: int,
    value: float,
    unit: str,
    head: Token | None,
    value_max: float | None,
) -> Figure:
    span: Span = doc[start:end]
    # "£250m." closing a sentence: the full stop is not part of the figure
    trim = 1 if span[-1].lower_ == "m." else 0
    counted = _counted(head, end) if head is not None else None
    return Figure(
        text=span.text[: len(span.text) - trim],
        value=value,
        unit=unit,
        field="body",
        start=span.start_char,
        end=span.end_char - trim,
        approx=_hedged(doc, start + 1)
        or _hedged(doc, start)
        or any(t.lower_ in HEDGES - APPROX_ONLY_IF for t in span[:-1])
        and span[0].lower_ not in ("up",),
        counted=counted,
        value_max=value_max,
    )
