"""Rows to records and records to rows, by column name, in one place.

A record's fields are read from the row's columns of the same name, and converted by the
field's type: ISO text to `datetime`/`date`, 0/1 to `bool`, JSON text to lists, dicts,
tuples and nested records. Writing goes the other way and always names its columns, so a
migration that adds or reorders columns cannot swap data silently.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from sitroom.util.jsonable import from_iso, to_iso, to_jsonable

T = TypeVar("T")

# A result row: sqlite3.Row, or the PostgreSQL backend's row; both are read by column name.
Row = sqlite3.Row | Mapping[str, Any]


def _identity(value: Any) -> Any:
    return value


def _optional_args(tp: Any) -> list[Any] | None:
    """The non-None members of a union type, or None when `tp` is not a union."""
    if get_origin(tp) in (Union, types.UnionType):
        return [a for a in get_args(tp) if a is not type(None)]
    return None


def _from_json(tp: Any, value: Any) -> Any:
    """A JSON-decoded value shaped as type `tp` (lists, tuples, dicts, records, times)."""
    if value is None:
        return None
    members = _optional_args(tp)
    if members is not None:
        return _from_json(members[0], value) if len(members) == 1 else value
    origin, args = get_origin(tp), get_args(tp)
    if tp is datetime:
        return from_iso(value)
    if tp is date:
        return date.fromisoformat(value)
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        return tp(**{k: _from_json(hints[k], v) for k, v in value.items() if k in hints})
    if origin is list and args:
        return [_from_json(args[0], v) for v in value]
    if origin is tuple and args:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_from_json(args[0], v) for v in value)
        return tuple(_from_json(a, v) for a, v in zip(args, value, strict=False))
    if origin is dict and args:
        return {k: _from_json(args[1], v) for k, v in value.items()}
    return value


def _decoder(tp: Any) -> Callable[[Any], Any]:
    members = _optional_args(tp)
    if members is not None and len(members) == 1:
        inner = _decoder(members[0])
        return lambda v: None if v is None else inner(v)
    if tp is datetime:
        return from_iso
    if tp is date:
        return lambda v: date.fromisoformat(v) if v else None
    if tp is bool:
        return bool
    if get_origin(tp) in (list, dict, tuple) or dataclasses.is_dataclass(tp):
        return lambda v: _from_json(tp, json.loads(v) if isinstance(v, str | bytes) else v)
    return _identity


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


@cache
def _decoders(cls: type) -> dict[str, Callable[[Any], Any]]:
    hints = _hints(cls)
    return {f.name: _decoder(hints[f.name]) for f in dataclasses.fields(cls)}


def record(cls: type[T], row: Row, **given: Any) -> T:
    """The record `cls` from a row: every field whose name is a column of the row, converted
    by its type; `given` supplies or overrides fields (already converted)."""
    keys = set(row.keys())
    values: dict[str, Any] = {}
    for name, decode in _decoders(cls).items():
        if name in given:
            values[name] = given[name]
        elif name in keys:
            values[name] = decode(row[name])
    return cls(**values)


def to_db(value: Any) -> Any:
    """A Python value as SQLite stores it: times as ISO text, bools as 0/1, and lists, dicts,
    tuples and records as JSON text."""
    if (
        value is None
        or isinstance(value, str | int | float | bytes)
        and not isinstance(value, bool)
    ):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return to_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(to_jsonable(value), ensure_ascii=False)


def columns_of(obj: Any, columns: Sequence[str], **given: Any) -> tuple[Any, ...]:
    """The values of `columns` for a record: `given` first, else the field of that name."""
    return tuple(to_db(given[c] if c in given else getattr(obj, c)) for c in columns)


def insert_sql(
    table: str, columns: Sequence[str], verb: str = "INSERT", *, key: Sequence[str] = ()
) -> str:
    """`INSERT INTO table ("a", "b") VALUES (?, ?)`: the columns are always named, and quoted
    (`end` is a keyword in PostgreSQL).

    The verb is written so that SQLite and PostgreSQL both read it: "INSERT OR IGNORE" becomes
    `ON CONFLICT DO NOTHING`, and "INSERT OR REPLACE" with `key` (the columns of the unique
    key) becomes `ON CONFLICT (key) DO UPDATE` of the other columns. Without a key, "INSERT OR
    REPLACE" is SQLite's own and fails on PostgreSQL."""
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    if verb == "INSERT OR REPLACE" and not key:
        return f"INSERT OR REPLACE INTO {table} ({names}) VALUES ({marks})"
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    if verb == "INSERT OR IGNORE":
        return sql + " ON CONFLICT DO NOTHING"
    if verb == "INSERT OR REPLACE":
        keys = ", ".join(f'"{c}"' for c in key)
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in key)
        return (
            sql
            + f" ON CONFLICT ({keys}) "
            + (f"DO UPDATE SET {updates}" if updates else "DO NOTHING")
        )
    if verb != "INSERT":
        raise ValueError(f"unknown insert verb {verb!r}")
    return sql


def upsert_sql(table: str, columns: Sequence[str], key: Sequence[str]) -> str:
    """Insert a row, or update the row that has the same `key` columns."""
    return insert_sql(table, columns, "INSERT OR REPLACE", key=key)


def insert_records(
    conn: Any,
    table: str,
    columns: Sequence[str],
    records: Iterable[Any],
    verb: str = "INSERT",
    *,
    key: Sequence[str] = (),
    **given: Any,
) -> None:
    """Insert one row per record, reading each named column from the record's field of that
    name (or from `given`, the same for every row)."""
    rows = [columns_of(r, columns, **given) for r in records]
    if rows:
        conn.executemany(insert_sql(table, columns, verb, key=key), rows)
