from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sitroom.enrich.actors import ActorRegistry, DocContext, find_mentions

Y2022 = datetime(2022, 2, 16, tzinfo=UTC)
Y2025 = datetime(2025, 2, 13, tzinfo=UTC)


def test_role_holder_depends_on_date(registry: ActorRegistry) -> None:
    assert registry.holder("Nato chief", Y2022) == "Jens Stoltenberg"
    assert registry.holder("Nato chief", Y2025) == "Mark Rutte"
    assert registry.holder("UK Prime Minister", Y2022) == "Boris Johnson"
    assert registry.holder("UK Prime Minister", Y2025) == "Keir Starmer"
    assert registry.lookup("the Nato secretary general", Y2025).name == "Mark Rutte"


def test_spelling_variants_share_one_actor(registry: ActorRegistry) -> None:
    assert registry.lookup("Zelenskyy", None).name == "Volodymyr Zelensky"
    assert registry.lookup("Zelensky", None).name == "Volodymyr Zelensky"


def test_ambiguous_alias_is_not_merged(tmp_path: Path, nlp) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "actors:\n"
        "  - {name: Anna Varga, type: person, aliases: [Varga]}\n"
        "  - {name: Peter Varga, type: person, aliases: [Varga]}\n",
        encoding="utf-8",
    )
    registry = ActorRegistry.load([extra])
    assert registry.lookup("Varga", Y2022) is None
    assert registry.lookup("Anna Varga", Y2022).name == "Anna Varga"
    # Once the document has used one full name, the surname means that person.
    ctx = DocContext(registry)
    find_mentions(nlp("Anna Varga arrived in Vienna on Monday."), "body", Y2022, ctx)
    mentions = find_mentions(nlp("Varga said the talks went well."), "body", Y2022, ctx)
    assert [(m.surface, m.actor) for m in mentions] == [("Varga", "Anna Varga")]


def test_surname_resolves_to_full_name_met_earlier(registry: ActorRegistry, nlp) -> None:
    ctx = DocContext(registry)
    first = find_mentions(
        nlp("We spoke to Professor Harriet Okonkwo-Lind about the plan."), "body", Y2025, ctx
    )
    assert any(m.actor == "Harriet Okonkwo-Lind" for m in first)
    later = find_mentions(nlp("Okonkwo-Lind thinks it will fail."), "body", Y2025, ctx)
    assert [m.actor for m in later] == ["Harriet Okonkwo-Lind"]
    assert later[0].via == "surname"


def test_title_before_name_is_learned_as_role(registry: ActorRegistry, nlp) -> None:
    ctx = DocContext(registry)
    find_mentions(
        nlp("Estonian Interior Minister Lauri Laanemets visited the border."), "body", Y2025, ctx
    )
    later = find_mentions(
        nlp("The Estonian Interior Minister said more guards are needed."), "body", Y2025, ctx
    )
    assert [(m.actor, m.via) for m in later] == [("Lauri Laanemets", "role")]


def test_appositive_is_learned_as_role(registry: ActorRegistry, nlp) -> None:
    ctx = DocContext(registry)
    find_mentions(
        nlp("Tomas Brandl, the Czech deputy foreign minister, arrived in Kyiv."),
        "body",
        Y2025,
        ctx,
    )
    later = find_mentions(
        nlp("Later the Czech deputy foreign minister met students."), "body", Y2025, ctx
    )
    assert [m.actor for m in later] == ["Tomas Brandl"]


def test_generic_role_needs_a_holder_in_context(registry: ActorRegistry, nlp) -> None:
    # "the secretary general" could be Nato's or the UN's: only context decides.
    bare = DocContext(registry)
    assert find_mentions(nlp("The secretary general spoke."), "body", Y2022, bare) == []
    ctx = DocContext(registry)
    find_mentions(nlp("Jens Stoltenberg arrived."), "body", Y2022, ctx)
    mentions = find_mentions(nlp("The secretary general spoke."), "body", Y2022, ctx)
    assert [m.actor for m in mentions] == ["Jens Stoltenberg"]


def test_lowercase_word_is_not_a_name(registry: ActorRegistry, nlp) -> None:
    ctx = DocContext(registry)
    mentions = find_mentions(nlp("Voters wanted to trump the old rules."), "body", Y2025, ctx)
    assert all(m.actor != "Donald Trump" for m in mentions)


def test_mention_offsets_are_verbatim(registry: ActorRegistry, nlp) -> None:
    text = "UK Foreign Secretary Liz Truss met Sergei Lavrov; Nato's secretary general watched."
    ctx = DocContext(registry)
    mentions = find_mentions(nlp(text), "body", Y2022, ctx)
    assert mentions
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    assert {"Liz Truss", "Sergei Lavrov", "Jens Stoltenberg"} <= {m.actor for m in mentions}


def test_document_context_keeps_learned_actors(registry: ActorRegistry, nlp) -> None:
    from sitroom.enrich.pipeline import enrich_document
    from sitroom.records import Document, Post

    post = Post(
        key="k",
        position=1,
        title=None,
        body="Slovak Economy Minister Denisa Sakova met Olaf Scholz in Berlin.",
        published=Y2022,
    )
    ctx = DocContext(registry)
    enrich_document(Document("s", "live", "t", posts=[post]), registry, nlp, context=ctx)
    names = {a.name: a for a in ctx.mentioned_actors()}
    assert names["Denisa Sakova"].learned and not names["Olaf Scholz"].learned
    assert any(r.holder == "Denisa Sakova" for r in ctx.learned_role_records())
