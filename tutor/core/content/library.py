"""``Library``: the installed cases in ``library.db`` — listing, full-text search and installing.

One SQLite file holds the installed packs, one row per case (the full validated case as JSON
beside the columns the Cases screen filters on) and an FTS5 index with one row per case and
language. ``install`` is the only writer: a whole pack goes in, or replaces its previous version,
inside one transaction, so a reader never sees half a pack.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from tutor.core.content.schema import Case, parse_case
from tutor.core.db import open_db
from tutor.core.errors import Interrupted, KnownError
from tutor.core.i18n import _, fallback_chain

migrations = Migrations("content-library")

# FTS row id = case rowid * LANG_SLOTS + language index, so a case's index rows are one rowid
# range that can be deleted without scanning the (unindexed) case_id column.
LANG_SLOTS = 8
LANG_INDEX = {"en": 0, "fr": 1, "es": 2, "pt": 3, "sw": 4, "ar": 5}
# bm25 weights per FTS column (case_id, lang, title, tags, complaint, facts): a word in the title
# counts more than the same word somewhere in the history.
BM25_WEIGHTS = "0.0, 0.0, 10.0, 6.0, 4.0, 1.0"


@migrations()
def create_packs_cases_fts(db: sqlite_utils.Database) -> None:
    db.table("packs").create(
        {
            "id": str,
            "version": int,
            "title": str,
            "publisher": str,
            "key_id": str,  # fingerprint of the key that signed it; "" when unsigned
            "signature": str,  # "trusted" | "unsigned"
            "languages": str,  # JSON list
            "source": str,  # what was imported: pack zip, folder, AgentClinic JSONL
            "imported_at": float,
        },
        pk="id",
        not_null={"version", "title", "signature", "imported_at"},
    )
    db.table("cases").create(
        {
            "id": str,
            "pack_id": str,
            "version": int,
            "languages": str,  # JSON list, e.g. ["en", "fr"]
            "title": str,  # JSON {lang: title}
            "tags": str,  # JSON list
            "difficulty": str,
            "setting": str,
            "review_status": str,
            "data": str,  # the full validated case as JSON
        },
        pk="id",
        foreign_keys=[("pack_id", "packs", "id")],
        not_null={"pack_id", "version", "data"},
    )
    db.table("cases").create_index(["pack_id"])
    db.execute(
        "CREATE VIRTUAL TABLE case_fts USING fts5("
        "case_id UNINDEXED, lang UNINDEXED, title, tags, complaint, facts, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )


@dataclass(frozen=True)
class PackInfo:
    id: str
    version: int
    title: str
    publisher: str = ""
    key_id: str = ""
    signature: str = "unsigned"
    languages: tuple[str, ...] = ("en",)
    source: str = ""
    imported_at: float = 0.0


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case list, with its title in the language asked for (or its fallback)."""

    id: str
    pack_id: str
    version: int
    languages: tuple[str, ...]
    title: str
    title_language: str  # the language ``title`` is actually in
    tags: tuple[str, ...]
    difficulty: str
    setting: str
    review_status: str


@dataclass(frozen=True)
class SearchHit:
    case: CaseSummary
    matched_language: str  # the language whose text matched the query
    score: float  # bm25: lower is better


@dataclass(frozen=True)
class InstallResult:
    """What ``install`` changed: counts the UI shows and flags widgets redraw on."""

    pack_id: str
    version: int
    previous_version: int | None
    added: int
    updated: int
    removed: int
    warnings: tuple[str, ...] = field(default_factory=tuple)


class LibraryError(KnownError):
    """An import the library refuses (downgrade, a case id owned by another pack)."""


ProgressFn = Callable[[int, int], None]


def _fts_query(text: str) -> str:
    """User text → a safe FTS5 query: every word quoted (so ``AND``, ``"``, ``*``, ``:`` are
    plain text), all words required, the last one also matching as a prefix (search as you type).
    """
    words = re.findall(r"\w+", text)
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _pick(value: dict[str, str], language: str | None) -> tuple[str, str]:
    for lang in fallback_chain(language):
        if lang in value:
            return value[lang], lang
    first = next(iter(value))
    return value[first], first


def _index_rows(case: Case) -> Iterator[tuple[str, str, str, str, str]]:
    """(lang, title, tags, complaint, facts) for each language the case holds."""
    for lang in case.languages:
        facts: list[str] = []
        for fact in case.history:
            facts.append(fact.answer.get(lang, ""))
            facts.extend(fact.questions.get(lang, []))
        for finding in case.exam.findings:
            facts += [finding.label.get(lang, ""), finding.finding.get(lang, "")]
        for test in case.investigations:
            facts.append(test.name.get(lang, ""))
        yield (
            lang,
            case.title.get(lang, ""),
            " ".join(case.tags),
            case.patient.opening.get(lang, ""),
            "\n".join(f for f in facts if f),
        )


class Library:
    """The installed case library. Safe to share between threads: one writer at a time."""

    def __init__(self, path: Path | None = None) -> None:
        from tutor.core.content import library_path

        self.path = path or library_path()
        self.db = open_db(self.path)
        self._lock = threading.RLock()
        with self._lock:
            migrations.apply(self.db)

    def close(self) -> None:
        self.db.close()

    # Reading -------------------------------------------------------------------------------

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM cases").fetchone()[0])

    def packs(self) -> list[PackInfo]:
        rows = self.db.execute(
            "SELECT id, version, title, publisher, key_id, signature, languages, source, "
            "imported_at FROM packs ORDER BY title, id"
        ).fetchall()
        return [
            PackInfo(
                id=r[0],
                version=r[1],
                title=r[2],
                publisher=r[3] or "",
                key_id=r[4] or "",
                signature=r[5],
                languages=tuple(json.loads(r[6] or "[]")),
                source=r[7] or "",
                imported_at=r[8],
            )
            for r in rows
        ]

    def pack(self, pack_id: str) -> PackInfo | None:
        return next((p for p in self.packs() if p.id == pack_id), None)

    def case_ids(self, pack_id: str | None = None) -> list[str]:
        if pack_id is None:
            rows = self.db.execute("SELECT id FROM cases ORDER BY id").fetchall()
        else:
            rows = self.db.execute(
                "SELECT id FROM cases WHERE pack_id = ? ORDER BY id", [pack_id]
            ).fetchall()
        return [r[0] for r in rows]

    def get_case(self, case_id: str) -> Case:
        row = self.db.execute("SELECT data FROM cases WHERE id = ?", [case_id]).fetchone()
        if row is None:
            raise KnownError(_("No installed case has the id {id}.").format(id=case_id))
        return parse_case(json.loads(row[0]), case_id)

    def _summary(self, row: Sequence[Any], lang: str | None) -> CaseSummary:
        title, used = _pick(json.loads(row[4]), lang)
        return CaseSummary(
            id=row[0],
            pack_id=row[1],
            version=row[2],
            languages=tuple(json.loads(row[3])),
            title=title,
            title_language=used,
            tags=tuple(json.loads(row[5])),
            difficulty=row[6],
            setting=row[7],
            review_status=row[8],
        )

    _SUMMARY_COLUMNS = (
        "c.id, c.pack_id, c.version, c.languages, c.title, c.tags, c.difficulty, c.setting, "
        "c.review_status"
    )

    def list_cases(
        self,
        lang: str | None = None,
        *,
        language: str | None = None,
        tag: str | None = None,
        difficulty: str | None = None,
        setting: str | None = None,
        pack_id: str | None = None,
    ) -> list[CaseSummary]:
        """Cases matching every filter given, titles in ``lang`` (with fallback).

        ``language`` keeps only cases written in that language; ``tag`` is a topic tag.
        """
        where, params = self._filters(language, tag, difficulty, setting, pack_id)
        rows = self.db.execute(
            f"SELECT {self._SUMMARY_COLUMNS} FROM cases c {where} ORDER BY c.id", params
        ).fetchall()
        summaries = [self._summary(r, lang) for r in rows]
        return sorted(summaries, key=lambda s: (s.title.casefold(), s.id))

    @staticmethod
    def _filters(
        language: str | None,
        tag: str | None,
        difficulty: str | None,
        setting: str | None,
        pack_id: str | None,
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if language:
            clauses.append("EXISTS (SELECT 1 FROM json_each(c.languages) WHERE value = ?)")
            params.append(language)
        if tag:
            clauses.append("EXISTS (SELECT 1 FROM json_each(c.tags) WHERE value = ?)")
            params.append(tag)
        for column, value in (
            ("difficulty", difficulty),
            ("setting", setting),
            ("pack_id", pack_id),
        ):
            if value:
                clauses.append(f"c.{column} = ?")
                params.append(value)
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params

    def tags(self) -> list[str]:
        rows = self.db.execute(
            "SELECT DISTINCT value FROM cases, json_each(cases.tags) ORDER BY value"
        ).fetchall()
        return [r[0] for r in rows]

    def search(
        self,
        query: str,
        lang: str | None = None,
        limit: int = 50,
        *,
        language: str | None = None,
        tag: str | None = None,
        difficulty: str | None = None,
        setting: str | None = None,
    ) -> list[SearchHit]:
        """Cases whose title, tags, opening complaint or facts hold every word of ``query``.

        With ``lang``, only text in that language or its fallbacks is searched and titles come in
        that language; without it every language is searched. Best match (BM25) first. Any user
        text is safe: FTS5 operators in it are searched as plain words.
        """
        match = _fts_query(query)
        if not match:
            return []
        params: list[Any] = [match]
        lang_clause = ""
        if lang:
            chain = [code for code in fallback_chain(lang) if code in LANG_INDEX]
            lang_clause = f"AND lang IN ({', '.join('?' * len(chain))})"
            params += chain
        where, filter_params = self._filters(language, tag, difficulty, setting, None)
        where = where.replace("WHERE", "AND", 1)
        # Best row per case: a case matching in several languages appears once.
        sql = (
            "WITH hits AS MATERIALIZED (SELECT case_id, lang, "
            f"bm25(case_fts, {BM25_WEIGHTS}) AS score FROM case_fts "
            f"WHERE case_fts MATCH ? {lang_clause}), "
            "best AS (SELECT case_id, lang, min(score) AS score FROM hits GROUP BY case_id) "
            f"SELECT {self._SUMMARY_COLUMNS}, best.lang, best.score FROM best "
            f"JOIN cases c ON c.id = best.case_id {where} ORDER BY best.score, c.id LIMIT ?"
        )
        rows = self.db.execute(sql, [*params, *filter_params, limit]).fetchall()
        hits = []
        for row in rows:
            matched = row[9]
            summary = self._summary(row, lang or matched)
            hits.append(SearchHit(summary, matched, float(row[10])))
        return hits

    # Writing -------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock:
            conn = self.db.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def install(
        self,
        pack: PackInfo,
        cases: Sequence[Case],
        *,
        allow_same_version: bool = False,
        progress: ProgressFn | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> InstallResult:
        """Install one pack; see ``install_all``."""
        results = self.install_all(
            [(pack, cases, allow_same_version)], progress=progress, cancel=cancel
        )
        return results[0]

    def install_all(
        self,
        items: Sequence[tuple[PackInfo, Sequence[Case], bool]],
        *,
        progress: ProgressFn | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> list[InstallResult]:
        """Install packs ``(pack, cases, allow_same_version)``, each replacing an older version.

        All or nothing, in one transaction: any error (a downgrade, a case id owned by another
        pack, a cancel) rolls back and leaves the library as it was. Learners' progress is keyed
        by case id in another database, so replacing a case's row keeps it.
        """
        total = sum(len(cases) for _p, cases, _s in items)
        done = 0
        all_ids: list[str] = [c.id for _p, cases, _s in items for c in cases]
        if len(set(all_ids)) != len(all_ids):
            dupes = sorted(i for i, n in Counter(all_ids).items() if n > 1)
            raise LibraryError(
                _("The same case id appears twice: {ids}.").format(ids=", ".join(dupes))
            )
        results: list[InstallResult] = []
        with self._transaction():
            for pack, cases, allow_same_version in items:
                ids = [c.id for c in cases]
                previous, old_ids = self._prepare(pack, ids, allow_same_version)
                for gone in old_ids - set(ids):
                    self._delete_case(gone)
                for case in cases:
                    if cancel is not None and cancel():
                        raise Interrupted()
                    self._write_case(pack.id, case, replace=case.id in old_ids)
                    done += 1
                    if progress is not None and (done % 50 == 0 or done == total):
                        progress(done, total)
                results.append(
                    InstallResult(
                        pack_id=pack.id,
                        version=pack.version,
                        previous_version=previous,
                        added=len(set(ids) - old_ids),
                        updated=len(set(ids) & old_ids),
                        removed=len(old_ids - set(ids)),
                    )
                )
        return results

    def _prepare(
        self, pack: PackInfo, ids: list[str], allow_same_version: bool
    ) -> tuple[int | None, set[str]]:
        """Check ``pack`` may replace what is installed and write its row; inside a transaction."""
        row = self.db.execute("SELECT version FROM packs WHERE id = ?", [pack.id]).fetchone()
        previous = int(row[0]) if row else None
        if previous is not None:
            if pack.version < previous:
                raise LibraryError(
                    _(
                        "Pack {pack} version {new} is older than the installed version "
                        "{old}; it was not imported."
                    ).format(pack=pack.id, new=pack.version, old=previous)
                )
            if pack.version == previous and not allow_same_version:
                raise LibraryError(
                    _("Pack {pack} version {version} is already installed.").format(
                        pack=pack.id, version=pack.version
                    )
                )
        foreign = sorted(i for i, owner in self._owners(ids).items() if owner != pack.id)
        if foreign:
            raise LibraryError(
                _("Case ids already installed from another pack: {ids}.").format(
                    ids=", ".join(foreign[:10])
                )
            )
        old_ids = set(self.case_ids(pack.id))
        self.db.execute(
            "INSERT INTO packs (id, version, title, publisher, key_id, signature, languages, "
            "source, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE "
            "SET version = excluded.version, title = excluded.title, "
            "publisher = excluded.publisher, key_id = excluded.key_id, "
            "signature = excluded.signature, languages = excluded.languages, "
            "source = excluded.source, imported_at = excluded.imported_at",
            [
                pack.id,
                pack.version,
                pack.title,
                pack.publisher,
                pack.key_id,
                pack.signature,
                json.dumps(list(pack.languages)),
                pack.source,
                pack.imported_at or time.time(),
            ],
        )
        return previous, old_ids

    def _owners(self, ids: Iterable[str]) -> dict[str, str]:
        owners: dict[str, str] = {}
        chunk: list[str] = []
        for case_id in [*ids, None]:
            if case_id is not None:
                chunk.append(case_id)
            if chunk and (case_id is None or len(chunk) == 500):
                marks = ", ".join("?" * len(chunk))
                for cid, owner in self.db.execute(
                    f"SELECT id, pack_id FROM cases WHERE id IN ({marks})", chunk
                ).fetchall():
                    owners[cid] = owner
                chunk = []
        return owners

    def _delete_case(self, case_id: str) -> None:
        row = self.db.execute("SELECT rowid FROM cases WHERE id = ?", [case_id]).fetchone()
        if row is None:
            return
        base = int(row[0]) * LANG_SLOTS
        self.db.execute(
            "DELETE FROM case_fts WHERE rowid BETWEEN ? AND ?", [base, base + LANG_SLOTS - 1]
        )
        self.db.execute("DELETE FROM cases WHERE id = ?", [case_id])

    def _write_case(self, pack_id: str, case: Case, *, replace: bool) -> None:
        if replace:
            self._delete_case(case.id)
        data = case.model_dump(mode="json", exclude_none=True)
        cursor = self.db.execute(
            "INSERT INTO cases (id, pack_id, version, languages, title, tags, difficulty, "
            "setting, review_status, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                case.id,
                pack_id,
                case.version,
                json.dumps(list(case.languages)),
                json.dumps(dict(case.title), ensure_ascii=False),
                json.dumps(list(case.tags), ensure_ascii=False),
                case.difficulty,
                case.setting,
                case.review.status,
                json.dumps(data, ensure_ascii=False),
            ],
        )
        base = int(cursor.lastrowid or 0) * LANG_SLOTS
        self.db.conn.executemany(
            "INSERT INTO case_fts (rowid, case_id, lang, title, tags, complaint, facts) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (base + LANG_INDEX[lang], case.id, lang, title, tags, complaint, facts)
                for lang, title, tags, complaint, facts in _index_rows(case)
            ],
        )

    def remove_pack(self, pack_id: str) -> int:
        """Uninstall a pack and its cases; returns how many cases went."""
        with self._transaction():
            ids = self.case_ids(pack_id)
            for case_id in ids:
                self._delete_case(case_id)
            self.db.execute("DELETE FROM packs WHERE id = ?", [pack_id])
        return len(ids)
