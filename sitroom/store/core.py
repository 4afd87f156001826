"""Core tables: sources, documents, posts, post_versions, ingests (+ FTS5 over posts).

CONTRACT (other stages code against these; keep the signatures):

    DEFAULT_DB = "sitroom.db"  (overridable by env SITROOM_DB and --db)

    @dataclass PostQuery: since: datetime|None, until: datetime|None, label: str|None,
        author: str|None, source: str|None, text: str|None, kinds: tuple[str,...]=("post","article","entry"),
        include_vanished: bool=True, limit: int|None=None, order: "time"|"-time"

    class CoreStore:
        @classmethod open(cls, path: str | Path = DEFAULT_DB) -> Store   # creates + migrates
        close(); __enter__/__exit__
        conn: sqlite3.Connection  (store-layer internal)
        ingest_document(doc: Document, *, ingest_id: int | None = None) -> IngestResult
            one transaction per document: new posts inserted, changed posts get a new
            post_versions row, unchanged touched (last_seen), posts missing from the page marked
            vanished_at (and un-marked if they come back).
        begin_ingest(argv: str) -> int ; finish_ingest(ingest_id, ok: int, failed: int, errors: list[str])
        posts(query: PostQuery | None = None) -> list[StoredPost]
        post(post_id: str) -> StoredPost | None        # accepts a unique id prefix too
        post_versions(post_id: str) -> list[PostVersion]  (oldest first)
        search(text: str, limit: int = 20) -> list[tuple[StoredPost, str, float]]  # (post, snippet, rank)
        documents() -> list[dict]   # id, source, outlet, kind, title, format, posts, first/last ingest
        document_record(document_id: int) -> Document   # rebuilt from latest versions, page order
        versions(version_ids: list[int]) -> list[PostVersion]
        latest_change_id() -> int   # monotonically increasing; grows whenever a post/version is added
                                    # (max post_versions.id) -- used by SSE to detect news
"""
