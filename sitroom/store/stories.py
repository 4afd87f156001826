"""Stories: which documents belong to which developing story (tables of migration 0007).

The grouping itself is computed in sitroom/analyse/stories.py; this stores its result, the
names users give, and what users filed by hand (a filed document never moves)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sitroom.records import Story
from sitroom.store.rows import insert_sql
from sitroom.util.jsonable import from_iso, to_iso, utcnow


class StoryStore:
    # --- reading -------------------------------------------------------------------------

    def stories(self) -> list[Story]:
        """Every story with its documents, sources and post span, most recent first."""
        rows = self._rows(
            "SELECT st.id, st.name, st.label, sd.document_id, sd.filed, s.source, "
            "(SELECT count(*) FROM posts p WHERE p.document_id = sd.document_id "
            " AND p.kind != 'summary') AS posts, "
            "(SELECT min(published) FROM posts p WHERE p.document_id = sd.document_id) AS first, "
            "(SELECT max(published) FROM posts p WHERE p.document_id = sd.document_id) AS last "
            "FROM stories st JOIN story_documents sd ON sd.story_id = st.id "
            "JOIN documents d ON d.id = sd.document_id JOIN sources s ON s.id = d.source_id "
            "ORDER BY st.id, sd.document_id"
        )
        stories: dict[int, Story] = {}
        for r in rows:
            story = stories.setdefault(
                r["id"], Story(id=int(r["id"]), name=r["name"], label=r["label"])
            )
            story.documents.append(int(r["document_id"]))
            story.sources.append(r["source"])
            story.posts += int(r["posts"] or 0)
            story.filed += int(r["filed"] or 0)
            first, last = from_iso(r["first"]), from_iso(r["last"])
            if first and (story.first_post is None or first < story.first_post):
                story.first_post = first
            if last and (story.last_post is None or last > story.last_post):
                story.last_post = last
        return sorted(
            stories.values(),
            key=lambda s: (s.last_post is not None, s.last_post, s.id),
            reverse=True,
        )

    def story(self, key: str | int) -> Story | None:
        """A story by id or by name (a user's name, or else its label), None if there is none."""
        text = str(key).strip()
        for story in self.stories():
            if text == str(story.id) or text.lower() in (
                (story.name or "").lower(),
                story.label.lower(),
            ):
                return story
        return None

    def story_assignments(self) -> dict[int, tuple[int, bool]]:
        """document id -> (story id, filed by a user)."""
        rows = self._rows("SELECT document_id, story_id, filed FROM story_documents")
        return {int(r["document_id"]): (int(r["story_id"]), bool(r["filed"])) for r in rows}

    def story_filings(self) -> dict[str, int]:
        """source -> story id, for sources filed with `sitroom follow --story`."""
        rows = self._rows("SELECT source, story_id FROM story_sources")
        return {r["source"]: int(r["story_id"]) for r in rows}

    # --- writing -------------------------------------------------------------------------

    def _story_id_named(self, conn, name: str) -> int:
        row = conn.execute("SELECT id FROM stories WHERE name = ?", (name,)).fetchone()
        if row is not None:
            return int(row["id"])
        return self._new_story(conn, name=name)

    def _new_story(self, conn, name: str | None = None, label: str = "") -> int:
        cur = conn.execute(
            insert_sql("stories", ("name", "label", "created_at")) + " RETURNING id",
            (name, label, to_iso(utcnow())),
        )
        return int(cur.fetchone()["id"])

    def file_source(self, source: str, story_name: str) -> int:
        """File `source` under the story named `story_name` (created if new); its document,
        once read, belongs to that story whatever the grouping says. Returns the story id."""
        with self._transaction() as conn:
            story_id = self._story_id_named(conn, story_name)
            conn.execute("DELETE FROM story_sources WHERE source = ?", (source,))
            conn.execute(insert_sql("story_sources", ("source", "story_id")), (source, story_id))
            row = conn.execute(
                "SELECT d.id FROM documents d JOIN sources s ON s.id = d.source_id "
                "WHERE s.source = ?",
                (source,),
            ).fetchone()
            if row is not None:
                self._file_document(conn, int(row["id"]), story_id)
        return story_id

    def file_document(self, document_id: int, story_id: int) -> None:
        """File a document under a story by hand: regrouping never moves it."""
        with self._transaction() as conn:
            self._file_document(conn, document_id, story_id)

    def _file_document(self, conn, document_id: int, story_id: int) -> None:
        conn.execute("DELETE FROM story_documents WHERE document_id = ?", (document_id,))
        conn.execute(
            insert_sql("story_documents", ("document_id", "story_id", "filed")),
            (document_id, story_id, 1),
        )

    def name_story(self, story_id: int, name: str) -> None:
        """Give a story a name (unique: ValueError when another story has it)."""
        with self._transaction() as conn:
            taken = conn.execute("SELECT id FROM stories WHERE name = ?", (name,)).fetchone()
            if taken is not None and int(taken["id"]) != story_id:
                raise ValueError(f"another story is already named {name!r}")
            if conn.execute("SELECT id FROM stories WHERE id = ?", (story_id,)).fetchone() is None:
                raise ValueError(f"no story {story_id}")
            conn.execute("UPDATE stories SET name = ? WHERE id = ?", (name, story_id))

    def merge_stories(self, story_ids: Sequence[int], name: str | None = None) -> int:
        """Merge stories into the first of `story_ids`; their documents become filed there (a
        regrouping keeps them together). Returns the surviving story id."""
        if not story_ids:
            raise ValueError("no stories to merge")
        keep, *others = story_ids
        with self._transaction() as conn:
            for sid in story_ids:
                if conn.execute("SELECT id FROM stories WHERE id = ?", (sid,)).fetchone() is None:
                    raise ValueError(f"no story {sid}")
            docs = conn.execute(
                "SELECT document_id FROM story_documents WHERE story_id IN ("
                + ", ".join("?" for _ in story_ids)
                + ")",
                tuple(story_ids),
            ).fetchall()
            for d in docs:
                self._file_document(conn, int(d["document_id"]), keep)
            for sid in others:
                conn.execute(
                    "UPDATE story_sources SET story_id = ? WHERE story_id = ?", (keep, sid)
                )
                conn.execute("DELETE FROM stories WHERE id = ?", (sid,))
        if name:
            self.name_story(keep, name)
        return keep

    def save_story_groups(self, groups: Sequence[tuple[Sequence[int], str]]) -> None:
        """Store an automatic grouping: (document ids, label) per story. A group keeps the id
        (and so the name) of the story most of its documents were in; documents filed by a
        user stay where they were filed."""
        assigned = self.story_assignments()
        with self._transaction() as conn:
            used: set[int] = set()
            for documents, label in groups:
                filed = [assigned[d][0] for d in documents if d in assigned and assigned[d][1]]
                before = Counter(assigned[d][0] for d in documents if d in assigned)
                story_id = next(
                    (
                        sid
                        for sid in [*filed, *[s for s, _ in before.most_common()]]
                        if sid not in used
                    ),
                    None,
                )
                if story_id is None:
                    story_id = self._new_story(conn, label=label)
                else:
                    conn.execute("UPDATE stories SET label = ? WHERE id = ?", (label, story_id))
                used.add(story_id)
                for d in documents:
                    if d in assigned and assigned[d][1]:
                        continue
                    conn.execute("DELETE FROM story_documents WHERE document_id = ?", (d,))
                    conn.execute(
                        insert_sql("story_documents", ("document_id", "story_id", "filed")),
                        (d, story_id, 0),
                    )
            # Unnamed stories left without documents (or filings) are gone.
            conn.execute(
                "DELETE FROM stories WHERE name IS NULL AND id NOT IN "
                "(SELECT story_id FROM story_documents) AND id NOT IN "
                "(SELECT story_id FROM story_sources)"
            )
