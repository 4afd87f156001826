"""Enrich one document: mentions, quotes, figures and places for every post.

Posts are read in true time order so what earlier posts taught (full names, learned roles)
helps later ones; the summary block, written last by the desk, is read with the whole
document's knowledge. All texts of a document are parsed in one batch."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc

from sitroom.enrich.actors import ActorRegistry, DocContext, find_mentions
from sitroom.enrich.figures import extract_figures
from sitroom.enrich.nlp import get_nlp, parse_texts
from sitroom.enrich.places import extract_places
from sitroom.enrich.quotes import PostState, extract_quotes, title_speaker
from sitroom.records import Document, Mention, Post, PostEnrichment, TextField

ENRICHER_VERSION = "2026.12.01-7"

_REGISTRY: ActorRegistry | None = None


def default_registry() -> ActorRegistry:
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = ActorRegistry.load()
    return _REGISTRY


def _post_time(post: Post, doc: Document) -> datetime | None:
    return post.published or doc.published or doc.fetched_at


def _not_authors(mentions: list[Mention], doc: Document, post: Post) -> list[Mention]:
    """Journalists credited in a byline are the story's authors, not actors in it."""
    authors = {b.name.casefold() for b in [*doc.bylines, *post.bylines] if b.name}
    if not authors:
        return mentions
    return [
        m
        for m in mentions
        if m.actor.casefold() not in authors and m.surface.casefold() not in authors
    ]


def _reading_order(
    doc: Document,
) -> tuple[list[Post], list[str], dict[tuple[str, TextField], int]]:
    """The posts in the order they are read, their texts in that order, and where each
    (post key, field) is among the texts."""
    summaries = [p for p in doc.posts if p.kind == "summary"]
    ordered = [p for p in doc.posts_by_time() if p.kind != "summary"] + summaries
    texts: list[str] = []
    index: dict[tuple[str, TextField], int] = {}
    for post in ordered:
        if post.title:
            index[(post.key, "title")] = len(texts)
            texts.append(post.title)
        index[(post.key, "body")] = len(texts)
        texts.append(post.body or "")
    return ordered, texts, index


def document_texts(doc: Document) -> list[str]:
    """The texts `enrich_document` parses, in order: parse many documents' texts in one batch
    and hand each its slice as `parsed`."""
    return _reading_order(doc)[1]


def enrich_document(
    doc: Document,
    registry: ActorRegistry | None = None,
    nlp: Language | None = None,
    context: DocContext | None = None,
    parsed: list[SpacyDoc] | None = None,
) -> dict[str, PostEnrichment]:
    """PostEnrichment for every post of `doc`, keyed by post key.

    Pass an empty `context` (DocContext(registry)) to keep what the document taught: the
    actors it named (`context.mentioned_actors()`, learned ones included) and the roles it
    learned (`context.learned_role_records()`). `parsed`: the parses of
    `document_texts(doc)`, when the caller parsed them already."""
    registry = registry or default_registry()
    ordered, texts, index = _reading_order(doc)
    if parsed is None:
        parsed = parse_texts(texts, nlp=nlp or get_nlp())

    ctx = context if context is not None else DocContext(registry)
    place_context: set[str] = set()
    out: dict[str, PostEnrichment] = {}
    for post in ordered:
        when = _post_time(post, doc)
        result = PostEnrichment(post_key=post.key)
        state = PostState(byline=post.bylines[0].name if post.bylines else None)
        fields: list[tuple[TextField, SpacyDoc]] = []
        if post.title:
            fields.append(("title", parsed[index[(post.key, "title")]]))
        fields.append(("body", parsed[index[(post.key, "body")]]))
        for field_name, sdoc in fields:
            mentions = _not_authors(find_mentions(sdoc, field_name, when, ctx), doc, post)
            if field_name == "title":
                state.title_speaker = title_speaker(post.title, ctx, when)
                if state.title_speaker:
                    state.last_speaker = state.title_speaker
                    actor = ctx.actor(state.title_speaker)
                    if actor is not None and actor.type == "person":
                        state.last_person = state.title_speaker
            # extract_quotes adds the sources it names that the tagger missed
            quotes = extract_quotes(sdoc, field_name, mentions, ctx, state, when)
            result.mentions.extend(sorted(mentions, key=lambda m: m.start))
            if field_name == "body":
                # A headline restates its post's quotes in the desk's words: it informs who
                # speaks in the body but is not itself a record of what was said.
                result.quotes.extend(quotes)
            result.figures.extend(extract_figures(sdoc, field_name))
            # the countries of places named so far decide what an ambiguous name means
            result.places.extend(extract_places(sdoc, field_name, place_context))
        out[post.key] = result
    _merge_early_surnames(out.values(), ctx)
    return {p.key: out[p.key] for p in doc.posts if p.key in out}


def _merge_early_surnames(results: Iterable[PostEnrichment], ctx: DocContext) -> None:
    """A lone name met before the full name (a headline's "Holm", then "Greta Holm") is
    that person, in every mention and quote of the document."""
    merged = ctx.merge_early_surnames()
    if not merged:
        return
    for result in results:
        for mention in result.mentions:
            mention.actor = merged.get(mention.actor, mention.actor)
        for quote in result.quotes:
            if quote.speaker is not None:
                quote.speaker = merged.get(quote.speaker, quote.speaker)
