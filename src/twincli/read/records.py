"""From composed YAML nodes to model objects, driven by the dataclasses' field types.

For each model class a `RecordSpec` is derived once from its type hints: which keys it takes,
which are required, and a converter per field. Building a record reports every problem it finds
(unknown keys, duplicates, tags, wrong types, bad dates...) as a diagnostic and carries on, so
one file yields all its problems at once. A value that cannot be read is left out; a record
missing a required value is left out (and its key is still known to exist, see `Marks.entries`).
"""

from __future__ import annotations

import dataclasses
import re
import sys
import types
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from twincli import model
from twincli.countries import COUNTRY_CODES, COUNTRY_HINTS
from twincli.diagnostics import Diagnostic, Location, suggest
from twincli.marks import Marks
from twincli.read.limits import Hint, Listing
from twincli.read.reader import UNTAGGED

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
SLUG_MAX = 64
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_INT_RE = re.compile(r"[0-9]{1,12}\Z")
_MONEY_RE = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?\Z")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_LOOSE_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\Z")


class _Invalid:
    """The result of a conversion that failed (and has been reported)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()

Convert = Callable[[Node, "FileBuilder"], Any]


def is_slug(text: str) -> bool:
    """Whether `text` is a valid id."""
    return len(text) <= SLUG_MAX and SLUG_RE.match(text) is not None


class FileBuilder:
    """Collects the diagnostics of one file while its records are built (at most
    `limits.MAX_LISTED` of each code: a file of distinct mistakes costs no more)."""

    __slots__ = ("file", "listing", "path")

    def __init__(self, file: str) -> None:
        self.file = file
        self.listing = Listing()
        self.path: list[str] = []

    def report(self, code: str, message: str, node: Node, hint: Hint = None) -> None:
        """Report a problem at `node`, prefixed with the key path that leads to it. A hint
        that takes work (a near-name search) is best given as a function."""
        where = self.where()
        mark = node.start_mark
        self.listing.add(
            code,
            Location(self.file, mark.line + 1, mark.column + 1),
            f"{where}: {message}" if where else message,
            hint,
        )

    def where(self) -> str:
        out = ""
        for part in self.path:
            out += part if part.startswith("[") or not out else "." + part
        return out

    def check_tag(self, node: Node) -> bool:
        """False when the reader has reported the node: an explicit tag, or an escape that
        names no Unicode character (TC116)."""
        return node.tag == UNTAGGED


def describe(node: Node) -> str:
    """A node as a person would name it in a message."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if not isinstance(node, ScalarNode):
        return "a list"
    value = node.value
    if not node.style and value in NULLS:
        return "nothing"
    if len(value) > 40:
        value = value[:37] + "..."
    return repr(value)


# --- scalar converters ----------------------------------------------------------------------


def _scalar(node: Node, b: FileBuilder, expected: str) -> str | None:
    if type(node) is ScalarNode and node.tag == UNTAGGED:
        return str(node.value)
    if node.tag != UNTAGGED:
        b.check_tag(node)
    else:
        b.report("TC203", f"expected {expected}, got {describe(node)}", node)
    return None


def convert_text(node: Node, b: FileBuilder) -> Any:
    if type(node) is ScalarNode and node.tag == UNTAGGED:
        return node.value
    value = _scalar(node, b, "text")
    return INVALID if value is None else value


_intern = sys.intern
"""Ids recur across files (a cohort's, its events', the outputs'): one string each."""


def convert_slug(node: Node, b: FileBuilder) -> Any:
    value = _scalar(node, b, "an id")
    if value is None:
        return INVALID
    if not is_slug(value):
        b.report("TC208", f"{describe(node)} is not a valid id", node, slug_hint(value))
        return INVALID
    return _intern(value)


def slugify(value: str) -> str | None:
    """`value` as an id (ASCII letters and digits joined by hyphens), or None."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    candidate = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower())[:SLUG_MAX].strip("-")
    return candidate if candidate and is_slug(candidate) else None


def slug_hint(value: str) -> str:
    """How to write `value` as an id."""
    candidate = slugify(value)
    if candidate:
        return f"ids are lower-case letters, digits and single hyphens, e.g. '{candidate}'"
    return "ids are lower-case letters, digits and single hyphens, at most 64 characters"


def convert_country(node: Node, b: FileBuilder) -> Any:
    value = _scalar(node, b, "a country code")
    if value is None:
        return INVALID
    if value in COUNTRY_CODES:
        return value
    hint = COUNTRY_HINTS.get(value.upper())
    if hint is None and value.upper() in COUNTRY_CODES:
        hint = f"write it in upper case: '{value.upper()}'"
    b.report(
        "TC209",
        f"{describe(node)} is not an ISO 3166-1 alpha-2 country code",
        node,
        hint or "use the two-letter code, e.g. ES, GB, GR, NO",
    )
    return INVALID


def _range_check(
    value: int | Decimal, bounds: model.Range | None, node: Node, b: FileBuilder
) -> bool:
    if bounds is None:
        return True
    if bounds.low is not None and value < bounds.low:
        b.report("TC210", f"{value} is less than {bounds.low}", node, _range_text(bounds))
        return False
    if bounds.high is not None and value > bounds.high:
        b.report("TC210", f"{value} is more than {bounds.high}", node, _range_text(bounds))
        return False
    return True


def _range_text(bounds: model.Range) -> str:
    if bounds.high is None:
        return f"expected at least {bounds.low}"
    return f"expected {bounds.low} to {bounds.high}"


def make_int(bounds: model.Range | None) -> Convert:
    def convert_int(node: Node, b: FileBuilder) -> Any:
        value = _scalar(node, b, "a whole number")
        if value is None:
            return INVALID
        if _INT_RE.match(value) is None:
            b.report(
                "TC204",
                f"expected a whole number, got {describe(node)}",
                node,
                "write plain digits, e.g. 2",
            )
            return INVALID
        number = int(value)
        return number if _range_check(number, bounds, node, b) else INVALID

    return convert_int


def convert_money(node: Node, b: FileBuilder) -> Any:
    value = _scalar(node, b, "an amount")
    if value is None:
        return INVALID
    if _MONEY_RE.match(value) is None:
        b.report(
            "TC206",
            f"expected an amount in euros, got {describe(node)}",
            node,
            "a non-negative number with at most two decimals, e.g. 1650 or 899.50",
        )
        return INVALID
    return Decimal(value)


MAX_SHARED_DAYS = 20_000
_DAYS: dict[str, date] = {}
"""Dates read so far, by their text: a programme repeats a few thousand days (event dates,
due dates, visits) across its files, and one `date` serves every record that holds it."""


def convert_date(node: Node, b: FileBuilder) -> Any:
    value = _scalar(node, b, "a date")
    if value is None:
        return INVALID
    if _DATE_RE.match(value) is not None:
        day = _DAYS.get(value)
        if day is not None:
            return day
        try:
            day = date.fromisoformat(value)
        except ValueError:
            b.report("TC205", f"{describe(node)} is not a date in the calendar", node)
            return INVALID
        if len(_DAYS) < MAX_SHARED_DAYS:
            _DAYS[value] = day
        return day
    loose = _LOOSE_DATE_RE.match(value)
    hint = "write dates as YYYY-MM-DD, e.g. 2025-03-04"
    if loose is not None:
        y, m, d = loose.groups()
        hint = f"zero-pad month and day: {y}-{int(m):02d}-{int(d):02d}"
    b.report("TC205", f"expected a date as YYYY-MM-DD, got {describe(node)}", node, hint)
    return INVALID


def make_enum(words: tuple[str, ...]) -> Convert:
    allowed = frozenset(words)

    def convert_enum(node: Node, b: FileBuilder) -> Any:
        value = _scalar(node, b, "one of " + ", ".join(words))
        if value is None:
            return INVALID
        if value in allowed:
            return value
        b.report(
            "TC207",
            f"{describe(node)} is not one of: {', '.join(words)}",
            node,
            partial(suggest, value, words),
        )
        return INVALID

    return convert_enum


# --- collections ----------------------------------------------------------------------------


def _is_null(node: Node) -> bool:
    return type(node) is ScalarNode and not node.style and node.value in NULLS


def make_list(item: Convert, min_items: int) -> Convert:
    def convert_list(node: Node, b: FileBuilder) -> Any:
        if type(node) is not SequenceNode or node.tag != UNTAGGED:
            if node.tag != UNTAGGED:
                b.check_tag(node)
            else:
                b.report(
                    "TC203",
                    f"expected a list, got {describe(node)}",
                    node,
                    "write a list as [a, b] or as lines starting with '- '",
                )
            return INVALID
        values = []
        path = b.path
        for index, child in enumerate(node.value):
            path.append(f"[{index}]")
            if _is_null(child):
                b.report("TC203", "an empty list item", child)
            else:
                value = item(child, b)
                if value is not INVALID:
                    values.append(value)
            path.pop()
        if len(node.value) < min_items:
            b.report("TC211", f"at least {min_items} item(s) needed, got none", node)
            return INVALID
        return tuple(values)

    return convert_list


def make_pair(item: Convert) -> Convert:
    def convert_pair(node: Node, b: FileBuilder) -> Any:
        if type(node) is not SequenceNode or len(node.value) != 2 or node.tag != UNTAGGED:
            if node.tag != UNTAGGED:
                b.check_tag(node)
            else:
                b.report("TC203", f"expected a pair [first, last], got {describe(node)}", node)
            return INVALID
        first, last = item(node.value[0], b), item(node.value[1], b)
        if first is INVALID or last is INVALID:
            return INVALID
        return (first, last)

    return convert_pair


def _check_key(knode: Node, seen: dict[str, tuple[int, int]], b: FileBuilder) -> str | None:
    """The key's text, or None (reported) when it is not usable."""
    if type(knode) is not ScalarNode:
        b.report("TC203", f"a key must be text, got {describe(knode)}", knode)
        return None
    key: str = knode.value
    mark = knode.start_mark
    if knode.tag != UNTAGGED:
        # Reported by the reader; the key still counts as written, so it is not "missing".
        seen.setdefault(key, (mark.line + 1, mark.column + 1))
        return None
    first = seen.get(key)
    if first is not None:
        b.report(
            "TC110",
            f"duplicate key '{key}' (first at line {first[0]})",
            knode,
            "keep one of them: YAML would silently use the last",
        )
        return None
    seen[key] = (mark.line + 1, mark.column + 1)
    if key == "<<" and not knode.style:
        b.report("TC108", "merge keys ('<<') are not allowed", knode, "write the keys out in full")
        return None
    return key


def _expect_mapping(node: Node, b: FileBuilder, what: str) -> bool:
    if type(node) is MappingNode and node.tag == UNTAGGED:
        return True
    if node.tag != UNTAGGED:
        b.check_tag(node)
    else:
        b.report("TC203", f"expected {what}, got {describe(node)}", node)
    return False


# --- records --------------------------------------------------------------------------------


PLAIN, SCALAR_LIST, KEYED, CONTENT, TEXT, WORD = range(6)


@dataclasses.dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one key of a record is read. `mode` says how `convert` is called: PLAIN (node to
    value), SCALAR_LIST (`convert` reads each item; item positions are kept), KEYED (returns
    the mapping and where each id was) or CONTENT (shape chosen by the record's id). TEXT
    and WORD (one of `words`) are PLAIN read inline when the value is plain text, the
    common case of the loop that reads every key of every file."""

    name: str
    key: str
    required: bool
    convert: Convert
    mode: int = PLAIN
    index: int = 0
    """Offset of this field's four numbers in `Marks.positions`."""
    words: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """The words a WORD field takes, each mapped to itself: records share one string each."""


@dataclasses.dataclass(frozen=True, slots=True)
class RecordSpec:
    """How one model class is read from a mapping."""

    cls: type[model.Record]
    fields: Mapping[str, FieldSpec]
    required: tuple[str, ...]
    id_field: str | None
    description: str
    layout: Mapping[str, int]
    """Key -> offset of its four numbers in `Marks.positions`."""
    width: int
    """Length of `Marks.positions`: four numbers per field."""

    def build(self, node: Node, b: FileBuilder, ident: str | None = None) -> Any:
        """The record read from `node`, or INVALID; problems go to `b`."""
        if not _expect_mapping(node, b, self.description):
            return INVALID
        kwargs: dict[str, Any] = {}
        if self.id_field is not None:
            kwargs[self.id_field] = ident
        positions = [0] * self.width
        items: dict[str, tuple[tuple[int, int], ...]] | None = None
        entries: dict[str, dict[str, tuple[int, int]]] | None = None
        broken: list[str] = []
        fields = self.fields
        path = b.path
        for knode, vnode in node.value:
            # This loop runs for every key of every file: the common case comes first.
            spec = None
            if type(knode) is ScalarNode and knode.tag == UNTAGGED:
                key = knode.value
                spec = fields.get(key)
            if spec is None:
                self._odd_key(knode, b, positions)
                continue
            at = spec.index
            if positions[at]:
                b.report(
                    "TC110",
                    f"duplicate key '{key}' (first at line {positions[at]})",
                    knode,
                    "keep one of them: YAML would silently use the last",
                )
                continue
            mark = knode.start_mark
            positions[at] = mark.line + 1
            positions[at + 1] = mark.column + 1
            if type(vnode) is ScalarNode and not vnode.style and vnode.value in NULLS:
                if spec.required:
                    b.report(
                        "TC202",
                        f"required key '{key}' is empty",
                        knode,
                        "give it a value; an empty value, ~ or null means absent",
                    )
                continue
            mark = vnode.start_mark
            positions[at + 2] = mark.line + 1
            positions[at + 3] = mark.column + 1
            mode = spec.mode
            if mode >= TEXT and type(vnode) is ScalarNode and vnode.tag == UNTAGGED:
                text = vnode.value
                if mode == TEXT:
                    kwargs[spec.name] = text
                    continue
                word = spec.words.get(text)
                if word is not None:  # one string for every record's "approved", say
                    kwargs[spec.name] = word
                    continue
            path.append(key)
            reported = b.listing.found
            if mode == PLAIN or mode >= TEXT:
                value = spec.convert(vnode, b)
            elif mode == SCALAR_LIST:
                if items is None:
                    items = {}
                value, items[key] = convert_scalar_list(vnode, b, spec.convert)
            elif mode == KEYED:
                if entries is None:
                    entries = {}
                value, entries[key] = spec.convert(vnode, b)
            else:
                value = build_content(ident, vnode, b)
            path.pop()
            if b.listing.found > reported:
                broken.append(key)
            if value is not INVALID:
                kwargs[spec.name] = value
        missing = False
        for key in self.required:
            spec = fields[key]
            if spec.name not in kwargs:
                missing = True
                if not positions[spec.index]:
                    b.report("TC202", f"missing required key '{key}'", node)
        if missing:
            return INVALID
        mark = node.start_mark
        kwargs["marks"] = Marks(
            b.file,
            mark.line + 1,
            mark.column + 1,
            self.layout,
            tuple(positions),
            items,
            entries,
            tuple(broken),
        )
        return self.cls(**kwargs)

    def _odd_key(self, knode: Node, b: FileBuilder, positions: list[int]) -> None:
        """A key that is not one of this record's: not text, tagged, a merge key, unknown."""
        if type(knode) is not ScalarNode:
            b.report("TC203", f"a key must be text, got {describe(knode)}", knode)
            return
        key: str = knode.value
        spec = self.fields.get(key)
        if knode.tag != UNTAGGED:
            # Reported by the reader; the key still counts as written, so it is not "missing".
            if spec is not None:
                positions[spec.index] = knode.start_mark.line + 1
            return
        if key == "<<" and not knode.style:
            b.report(
                "TC108", "merge keys ('<<') are not allowed", knode, "write the keys out in full"
            )
            return
        b.report("TC201", f"unknown key '{key}'", knode, partial(suggest, key, self.fields))


def make_keyed(item: RecordSpec) -> Callable[[Node, FileBuilder], tuple[Any, dict[str, Any]]]:
    """A mapping keyed by id whose values are records; also returns where each id was."""

    def convert_keyed(node: Node, b: FileBuilder) -> tuple[Any, dict[str, Any]]:
        entries: dict[str, tuple[int, int]] = {}
        if not _expect_mapping(node, b, "a mapping keyed by id"):
            return INVALID, entries
        result: dict[str, Any] = {}
        seen: dict[str, tuple[int, int]] = {}
        path = b.path
        for knode, vnode in node.value:
            key = _check_key(knode, seen, b)
            if key is None:
                continue
            if not is_slug(key):
                b.report("TC208", f"'{key}' is not a valid id", knode, slug_hint(key))
                continue
            key = _intern(key)  # the same few ids (outputs, events) in every file
            entries[key] = seen[key]
            path.append(key)
            value = item.build(vnode, b, key)
            path.pop()
            if value is not INVALID:
                result[key] = value
        return result, entries

    return convert_keyed


def build_content(output_id: str | None, node: Node, b: FileBuilder) -> Any:
    """An output's content, in the shape its output id calls for."""
    cls = model.CONTENT_BY_OUTPUT.get(output_id or "")
    if cls is None:
        b.report(
            "TC212",
            f"output '{output_id}' has no content format",
            node,
            "content is read for: " + ", ".join(model.CONTENT_BY_OUTPUT),
        )
        return INVALID
    return record_spec(cls).build(node, b)


Derived = TypeVar("Derived")


def once_per_class(
    derive: Callable[[type[model.Record]], Derived],
) -> Callable[[type[model.Record]], Derived]:
    """`derive`, worked out once per model class (as `functools.cache` would, which mypy does
    not accept for classes)."""
    done: dict[type[model.Record], Derived] = {}

    def derived(cls: type[model.Record]) -> Derived:
        found = done.get(cls)
        if found is None:
            found = done[cls] = derive(cls)
        return found

    return derived


TypedFields = tuple[tuple[dataclasses.Field[Any], Any], ...]


@once_per_class
def typed_fields(cls: type[model.Record]) -> TypedFields:
    """The fields of a model class that a file gives (not `marks`, nor the programme's
    folders), in order, each with its type hint (`Annotated` kept): the one place the model's
    type hints are read."""
    hints = get_type_hints(cls, include_extras=True)
    return tuple(
        (f, hints[f.name])
        for f in dataclasses.fields(cls)
        if f.name != "marks" and not f.metadata.get("folder")
    )


@once_per_class
def record_spec(cls: type[model.Record]) -> RecordSpec:
    """The spec of a model class, derived from its fields and type hints."""
    fields: dict[str, FieldSpec] = {}
    required: list[str] = []
    id_field = None
    for f, tp in typed_fields(cls):
        if f.metadata.get("from_key"):
            id_field = f.name
            continue
        key = f.metadata.get("key", f.name)
        has_default = (
            f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        )
        if not has_default:
            required.append(key)
        fields[key] = _field_spec(cls, f.name, key, tp, required=not has_default)
    fields = {key: dataclasses.replace(f, index=4 * i) for i, (key, f) in enumerate(fields.items())}
    doc = (cls.__doc__ or cls.__name__).split(":")[0].split(".")[0].strip()
    layout = {key: f.index for key, f in fields.items()}
    return RecordSpec(
        cls,
        fields,
        tuple(required),
        id_field,
        f"a mapping ({doc.lower()})",
        layout,
        4 * len(fields),
    )


def _field_spec(cls: type[model.Record], name: str, key: str, tp: Any, required: bool) -> FieldSpec:
    if name == "content" and cls is model.CityOutput:
        return FieldSpec(name, key, required, lambda n, b: INVALID, CONTENT)
    stripped = strip_optional(tp)
    origin = get_origin(stripped)
    if converter(tp) is convert_text:  # not an id or a country code, which are checked
        return FieldSpec(name, key, required, convert_text, TEXT)
    if origin is Literal:
        return FieldSpec(
            name, key, required, converter(tp), WORD, words={w: w for w in get_args(stripped)}
        )
    if origin is Mapping or origin is dict:
        return FieldSpec(name, key, required, converter(tp), KEYED)
    if origin is tuple:
        item, rest = get_args(stripped)
        if rest is Ellipsis and not _is_record(item):
            return FieldSpec(name, key, required, converter(item), SCALAR_LIST)
    return FieldSpec(name, key, required, converter(tp))


def convert_scalar_list(
    node: Node, b: FileBuilder, item: Convert
) -> tuple[Any, tuple[tuple[int, int], ...]]:
    """A list of scalars, and the position of each item kept (for `Marks.item`)."""
    if type(node) is not SequenceNode or node.tag != UNTAGGED:
        if node.tag == UNTAGGED:
            b.report(
                "TC203",
                f"expected a list, got {describe(node)}",
                node,
                "write a list as [a, b] or as lines starting with '- '",
            )
        return INVALID, ()
    values = []
    positions = []
    for child in node.value:
        if type(child) is ScalarNode and not child.style and child.value in NULLS:
            b.report("TC203", "an empty list item", child)
            continue
        value = item(child, b)
        if value is not INVALID:
            values.append(value)
            mark = child.start_mark
            positions.append((mark.line + 1, mark.column + 1))
    return tuple(values), tuple(positions)


def strip_optional(tp: Any) -> Any:
    """The type without `| None` and `Annotated` (a union of several types stays a union)."""
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            tp = args[0]
    if get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def _is_record(tp: Any) -> bool:
    tp = strip_optional(tp)
    return isinstance(tp, type) and issubclass(tp, model.Record)


def converter(tp: Any) -> Any:
    """The converter for a field type (see the `twincli.model` docstring)."""
    extras: tuple[Any, ...] = ()
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"unsupported union {tp}")
        tp = args[0]
    if get_origin(tp) is Annotated:
        tp, *rest = get_args(tp)
        extras = (*rest,)
    origin = get_origin(tp)
    if model.SlugText in extras:
        return convert_slug
    if model.CountryText in extras:
        return convert_country
    if tp is str:
        return convert_text
    if tp is int:
        bounds = next((e for e in extras if isinstance(e, model.Range)), None)
        return make_int(bounds)
    if tp is Decimal:
        return convert_money
    if tp is date:
        return convert_date
    if origin is Literal:
        return make_enum(get_args(tp))
    if origin is tuple:
        item, rest = get_args(tp)
        if rest is Ellipsis:
            return make_list(converter(item), 1 if model.NonEmpty in extras else 0)
        return make_pair(converter(item))
    if origin in (Mapping, dict):
        return make_keyed(record_spec(get_args(tp)[1]))
    if isinstance(tp, type) and issubclass(tp, model.Record):
        return record_spec(tp).build
    raise TypeError(f"unsupported field type {tp}")


def build(
    cls: type[model.Record], node: Node, file: str, ident: str | None = None
) -> tuple[Any, list[Diagnostic]]:
    """Read a whole file's root node as `cls`: the record (or INVALID) and its diagnostics."""
    b = FileBuilder(file)
    if _is_null(node):
        b.report(
            "TC104",
            "the file holds no data",
            node,
            "a file here holds one mapping of keys and values",
        )
        return INVALID, b.listing.diagnostics()
    if not isinstance(node, MappingNode):
        b.report(
            "TC106",
            f"expected a mapping of keys and values, got {describe(node)}",
            node,
            "start each line of the file with 'key: value'",
        )
        return INVALID, b.listing.diagnostics()
    value = record_spec(cls).build(node, b, ident)
    return value, b.listing.diagnostics()
