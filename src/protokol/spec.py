"""The machinery of a declarative file format: types (`Text`, `Date`, `Record`, …) that validate a positioned YAML
tree with problems as values (`convert`), build model records in one pass (`quick`), only check (`valid`), and describe
themselves as JSON Schema. schema.py states the protocol format with it; settings.py and people.py their files'."""

from __future__ import annotations

import difflib
import re
from datetime import date
from functools import cached_property

from .i18n import _
from .names import split_executors
from .problems import Collector
from .yamlio import Mapping, Node, Scalar, Sequence

INVALID = object()


class Unclean(Exception):
    """Raised by T.quick() where convert() would report a problem."""

# Russian words a secretary may type as keys, and the key they mean: used for "did you mean" hints.
RUSSIAN_KEYS = {
    "дата": "date", "номер": "number", "время": "time", "место": "place", "организация": "organization",
    "заголовок": "title", "тема": "title", "председатель": "chair", "секретарь": "secretary",
    "присутствовали": "present", "участники": "present", "приглашенные": "invited", "приглашённые": "invited",
    "отсутствовали": "absent", "повестка": "agenda", "вопросы": "agenda", "слушали": "heard",
    "выступили": "spoke", "обсудили": "discussed", "решили": "decided", "постановили": "decided",
    "решение": "decided", "срок": "deadline", "отв": "responsible", "ответственный": "responsible",
    "ответственные": "responsible", "исполнитель": "responsible", "текст": "text", "голосовали": "votes",
    "подписи": "signatures", "докладчик": "speakers", "докладчики": "speakers", "должность": "position",
    "фио": "name", "имя": "name",
}


class T:
    """A type of value in the format."""

    doc = ""

    def convert(self, node: Node, out: Collector):
        raise NotImplementedError

    def valid(self, node: Node) -> bool:
        """Whether convert() would find no problem at all in `node`, building nothing: for the parts of a file that
        a reader checks but does not need (see LEAN_PROTOCOL). Agrees with quick() (tests/test_schema_quick.py)."""
        raise NotImplementedError

    def quick(self, node: Node):
        """What convert() returns, for a node in which convert() would find no problem at all; raises Unclean at
        the first thing it would report. Nearly every file of an archive is clean: made this way, without the
        bookkeeping that names problems, it is read twice as fast (load.py falls back to convert() on Unclean).
        It must agree with convert() exactly; tests/test_schema_quick.py holds the two together."""
        raise NotImplementedError

    def json(self) -> dict:
        raise NotImplementedError

    def expect(self) -> str:
        return "text"


def record_label(name: str) -> str:
    """A record's name in the user's language, for messages («in decision» / «в решении»)."""
    labels = {
        "protocol": _("protocol"), "participants": _("participants"), "person": _("person"), "group": _("group"),
        "statement": _("statement"), "votes": _("votes"), "extension": _("extension"), "control": _("control marks"),
        "reference": _("reference"), "decision": _("decision"), "section": _("section"), "agenda item": _("agenda item"),
        "signature": _("signature"), "certification": _("certification"), "signed": _("signing record"), "amendment": _("amendment"),
        "settings": _("settings"),
    }
    return labels.get(name, name)


def _type_error(node: Node, expected: str, out: Collector) -> object:
    got = {Mapping: _("a mapping (key: value)"), Sequence: _("a list")}.get(type(node), _("text"))
    if isinstance(node, Scalar) and node.value is None:
        got = _("an empty value")
    out.add(node.pos, "schema-type", _("Expected {expected} here, found {got}.").format(expected=expected, got=got),
            _("See docs/format.md for the shape of this key."))
    return INVALID


class Text(T):
    def __init__(self, doc: str = "", pattern: str | None = None, example: str | None = None):
        self.doc = doc
        self.pattern = re.compile(pattern) if pattern else None
        self.example = example

    def convert(self, node, out):
        if not isinstance(node, Scalar) or node.value is None:
            return _type_error(node, self.expect(), out)
        if self.pattern and not self.pattern.fullmatch(node.value):
            out.add(node.pos, "schema-value", _("'{value}' does not have the expected form.").format(value=node.value),
                    _("Expected something like: {example}").format(example=self.example or self.pattern.pattern))
            return INVALID
        return node.value

    def valid(self, node):
        return type(node) is Scalar and node.value is not None and (
            self.pattern is None or self.pattern.fullmatch(node.value) is not None)

    def quick(self, node):
        if type(node) is not Scalar or node.value is None or (
                self.pattern is not None and self.pattern.fullmatch(node.value) is None):
            raise Unclean
        return node.value

    def expect(self):
        return _("text")

    def json(self):
        out = {"type": "string"}
        if self.pattern:
            out["pattern"] = self.pattern.pattern
        return out


class Int(T):
    def __init__(self, doc: str = "", minimum: int = 0, maximum: int | None = None):
        self.doc, self.minimum, self.maximum = doc, minimum, maximum

    def _number(self, node) -> int | None:
        """The number written, when within the bounds; ASCII digits only («²» is a digit to isdigit(), not to int())."""
        text = node.value.strip() if type(node) is Scalar and node.value is not None else ""
        number = int(text) if text.isascii() and text.isdigit() else self.minimum - 1
        return number if self.minimum <= number <= (number if self.maximum is None else self.maximum) else None

    def convert(self, node, out):
        if not isinstance(node, Scalar) or node.value is None:
            return _type_error(node, self.expect(), out)
        number, text = self._number(node), node.value.strip()
        if number is None and text.isascii() and text.isdigit():  # a number, out of bounds (a port of 99999)
            bounds = f"{self.minimum}–{self.maximum}" if self.maximum is not None else f"≥ {self.minimum}"
            out.add(node.pos, "schema-value", _("{value} is out of range: expected a whole number {bounds}.").format(
                value=text, bounds=bounds), _("Write a whole number {bounds}.").format(bounds=bounds))
        elif number is None:
            out.add(node.pos, "schema-type", _("Expected a whole number, found '{value}'.").format(value=node.value),
                    _("Write digits only, e.g. 15."))
        return INVALID if number is None else number

    def valid(self, node):
        return self._number(node) is not None

    def quick(self, node):
        if (number := self._number(node)) is None:
            raise Unclean
        return number

    def expect(self):
        return _("a whole number")

    def json(self):
        return {"type": "integer", "minimum": self.minimum, **({"maximum": self.maximum} if self.maximum is not None else {})}


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_RU_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


class Date(T):
    def __init__(self, doc: str = ""):
        self.doc = doc

    def convert(self, node, out):
        if not isinstance(node, Scalar) or node.value is None:
            return _type_error(node, self.expect(), out)
        text = node.value.strip()
        match = _ISO.fullmatch(text)
        if not match:
            ru = _RU_DATE.fullmatch(text)
            hint = (_("Write it as {iso}.").format(iso=f"{ru[3]}-{int(ru[2]):02d}-{int(ru[1]):02d}") if ru
                    else _("Write dates as YYYY-MM-DD, e.g. 2024-01-09."))
            out.add(node.pos, "schema-date", _("'{value}' is not a date in the form YYYY-MM-DD.").format(value=text), hint)
            return INVALID
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            out.add(node.pos, "schema-date", _("{value} is not a day of the calendar.").format(value=text),
                    _("Check the day and the month: {value} does not exist.").format(value=text))
            return INVALID

    def valid(self, node):
        try:
            self.quick(node)
        except Unclean:
            return False
        return True

    def quick(self, node):
        match = _ISO.fullmatch(node.value.strip()) if type(node) is Scalar and node.value is not None else None
        if match is None:
            raise Unclean
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise Unclean from None

    def expect(self):
        return _("a date (YYYY-MM-DD)")

    def json(self):
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


class Enum(T):
    def __init__(self, values: tuple[str, ...], doc: str = ""):
        self.values = values
        self.doc = doc

    def convert(self, node, out):
        if not isinstance(node, Scalar) or node.value not in self.values:
            shown = node.value if isinstance(node, Scalar) else "…"
            close = difflib.get_close_matches(str(shown), self.values, n=1)
            hint = _("Did you mean '{value}'?").format(value=close[0]) if close else ""
            out.add(node.pos, "schema-value", _("'{value}' is not one of: {allowed}.").format(value=shown, allowed=", ".join(self.values)),
                    hint or _("Use one of: {allowed}.").format(allowed=", ".join(self.values)))
            return INVALID
        return node.value

    def valid(self, node):
        return type(node) is Scalar and node.value in self.values

    def quick(self, node):
        if type(node) is not Scalar or node.value not in self.values:
            raise Unclean
        return node.value

    def json(self):
        return {"type": "string", "enum": list(self.values)}


class Seq(T):
    def __init__(self, item: T, doc: str = "", single_ok: bool = False):
        self.item = item
        self.doc = doc
        self.single_ok = single_ok  # a lone value is read as a list of one

    def convert(self, node, out):
        if not isinstance(node, Sequence):
            if self.single_ok and not (isinstance(node, Scalar) and node.value is None):
                value = self.item.convert(node, out)
                return () if value is INVALID else (value,)
            return _type_error(node, _("a list"), out)
        values = (self.item.convert(child, out) for child in node.items)
        return tuple(v for v in values if v is not INVALID)

    def valid(self, node):
        if type(node) is not Sequence:
            return self.single_ok and not (type(node) is Scalar and node.value is None) and self.item.valid(node)
        item_valid = self.item.valid
        return all(item_valid(child) for child in node.items)

    def quick(self, node):
        if type(node) is not Sequence:
            if not self.single_ok or (type(node) is Scalar and node.value is None):
                raise Unclean
            return (self.item.quick(node),)
        read = self.item.quick
        return tuple([read(child) for child in node.items])

    def json(self):
        return _json_with_refs(self, {})


class Responsible(T):
    """A string, a comma-separated string, or a list; [] means «nobody named» on purpose."""

    doc = "Who executes: a string, a comma-separated string, or a list. The first named is the main executor."

    def convert(self, node, out):
        if isinstance(node, Scalar):
            if node.value is None:
                return INVALID if _type_error(node, _("a name or a list of names"), out) else INVALID
            return tuple(split_executors(node.value))
        if isinstance(node, Sequence):
            names = []
            for child in node.items:
                if not isinstance(child, Scalar) or child.value is None:
                    _type_error(child, _("a name"), out)
                    continue
                names.append(child.value.strip())
            return tuple(names)
        return _type_error(node, _("a name or a list of names"), out)

    def valid(self, node):
        if type(node) is Scalar:
            return node.value is not None
        return type(node) is Sequence and all(type(c) is Scalar and c.value is not None for c in node.items)

    def quick(self, node):
        if type(node) is Scalar and node.value is not None:
            return tuple(split_executors(node.value))
        if type(node) is not Sequence or not all(type(c) is Scalar and c.value is not None for c in node.items):
            raise Unclean
        return tuple([child.value.strip() for child in node.items])

    def json(self):
        return {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}


class F:
    """A key of a record."""

    def __init__(self, type_: T, doc: str, required: bool = False, nullable: bool = False):
        self.type = type_
        self.doc = doc
        self.required = required
        self.nullable = nullable  # null is accepted and means «not recorded in the original»


def _missing_key_hint(key: str, doc: str) -> str:
    """«Add `key:`», with what the key holds when that can be said in the user's language: the field docs are the
    JSON Schema's English descriptions, and an English aside inside a Russian hint only puzzles a secretary."""
    from .i18n import current_language, gettext

    shown = gettext(doc)
    if shown and (shown != doc or current_language() == "en"):
        return _("Add `{key}:` ({doc})").format(key=key, doc=shown.rstrip("."))
    return _("Add `{key}:`.").format(key=key)


class Record(T):
    def __init__(self, name: str, fields: dict[str, F], build, doc: str = "", shorthand: T | None = None, shorthand_key: str = ""):
        self.name = name
        self.fields = fields
        self.build = build
        self.doc = doc
        self.shorthand = shorthand  # e.g. a person may be written as a plain name
        self.shorthand_key = shorthand_key

    @cached_property  # worked out on first use: DECISION gains its `items` field after it is made
    def required(self) -> tuple[str, ...]:
        return tuple(key for key, spec in self.fields.items() if spec.required)

    def convert(self, node, out):
        if isinstance(node, Scalar) and self.shorthand is not None and node.value is not None:
            value = self.shorthand.convert(node, out)
            if value is INVALID:
                return INVALID
            return self.build({self.shorthand_key: value, "pos": node.pos, "field_pos": {self.shorthand_key: node.pos}})
        if not isinstance(node, Mapping):
            return _type_error(node, _("a mapping (key: value)") if self.shorthand is None else _("a name or a mapping"), out)
        values: dict = {"pos": node.pos, "field_pos": {}, "nulls": set()}
        ok = True
        for key, (key_node, value_node) in node.items.items():
            spec = self.fields.get(key)
            if spec is None:
                out.add(key_node.pos, "schema-unknown-key",
                        _("Unknown key '{key}' in {record}.").format(key=key, record=record_label(self.name)), self._suggest(key))
                continue
            values["field_pos"][key] = value_node.pos
            if isinstance(value_node, Scalar) and value_node.value is None and spec.nullable:
                values["nulls"].add(key)
                continue
            value = spec.type.convert(value_node, out)
            if value is INVALID:
                ok = ok and not spec.required
                continue
            values[key] = value
        for key, spec in self.fields.items():
            if spec.required and key not in node.items:
                out.add(node.pos, "schema-missing-key",
                        _("The {record} has no '{key}'.").format(record=record_label(self.name), key=key),
                        _missing_key_hint(key, spec.doc))
                ok = False
        if not ok:
            return INVALID
        return self.build(values)

    def valid(self, node):
        if type(node) is Scalar and self.shorthand is not None and node.value is not None:
            return self.shorthand.valid(node)
        if type(node) is not Mapping:
            return False
        items, steps = node.items, self._steps
        for key, (_key_node, value_node) in items.items():
            step = steps.get(key)
            if step is None:
                return False
            if not (step[2] and type(value_node) is Scalar and value_node.value is None) and not step[3](value_node):
                return False
        return all(key in items for key in self.required)

    def quick(self, node):
        if type(node) is Scalar and self.shorthand is not None and node.value is not None:  # a plain name
            value = self.shorthand.quick(node)
            return self.build({self.shorthand_key: value, "pos": node.pos, "field_pos": {self.shorthand_key: node.pos}})
        if type(node) is not Mapping:
            raise Unclean
        items = node.items
        for key in self.required:
            if key not in items:
                raise Unclean
        maker, steps = self.build, self._steps
        state, field_pos, nulls = maker.fresh(), {}, ()
        for key, (_key_node, value_node) in items.items():
            step = steps.get(key)
            if step is None:
                raise Unclean
            field_pos[key] = value_node.pos
            read, name, nullable, _valid = step
            if nullable and type(value_node) is Scalar and value_node.value is None:
                nulls += (key,)
                continue
            value = read(value_node)
            if name is not None:
                state[name] = value
        return maker.finish(state, node.pos, field_pos, nulls)

    @cached_property  # each key's type's quick, the attribute it sets, nullable, its type's valid; made as `required`
    def _steps(self) -> dict:
        attribute = getattr(self.build, "attribute", {})  # a Maker's (quick() needs one; valid() does not)
        return {key: (f.type.quick, attribute.get(key), f.nullable, f.type.valid) for key, f in self.fields.items()}

    def _suggest(self, key: str) -> str:
        known = list(self.fields)
        folded = key.lower().strip().rstrip(".:").replace("ё", "е")
        meant = RUSSIAN_KEYS.get(folded) or RUSSIAN_KEYS.get(folded.replace("е", "ё"))
        if meant in known:
            return _("Did you mean '{key}'? Keys are English words.").format(key=meant)
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        if close:
            return _("Did you mean '{key}'?").format(key=close[0])
        return _("Known keys here: {keys}.").format(keys=", ".join(known))

    def json(self):
        return _json_with_refs(self, {}, top=True)


class Either(T):
    """One of several records, told apart by a key they own (a group has `group`, a person has `name`)."""

    def __init__(self, by_key: dict[str, T], default: T, doc: str = ""):
        self.by_key = by_key
        self.default = default
        self.doc = doc

    def convert(self, node, out):
        if isinstance(node, Mapping):
            for key, spec in self.by_key.items():
                if key in node.items:
                    return spec.convert(node, out)
        return self.default.convert(node, out)

    def valid(self, node):
        if type(node) is Mapping:
            for key, spec in self.by_key.items():
                if key in node.items:
                    return spec.valid(node)
        return self.default.valid(node)

    def quick(self, node):
        if type(node) is Mapping:
            for key, spec in self.by_key.items():
                if key in node.items:
                    return spec.quick(node)
        return self.default.quick(node)

    def json(self):
        return _json_with_refs(self, {})


def _json_with_refs(spec: T, defs: dict, top: bool = False) -> dict:
    """JSON Schema with records as $defs, so the recursive decision refers to itself."""
    if isinstance(spec, Record):
        name = spec.name.replace(" ", "_")
        if not top:
            if name not in defs:
                defs[name] = {}  # placeholder stops the recursion
                defs[name] = _record_json(spec, defs)
            return {"$ref": f"#/$defs/{name}"}
        return _record_json(spec, defs)
    if isinstance(spec, Seq):
        items = {"type": "array", "items": _json_with_refs(spec.item, defs)}
        return {"anyOf": [_json_with_refs(spec.item, defs), items]} if spec.single_ok else items
    if isinstance(spec, Either):
        return {"anyOf": [_json_with_refs(spec.default, defs)] + [_json_with_refs(s, defs) for s in spec.by_key.values()]}
    return spec.json()


def _record_json(spec: Record, defs: dict) -> dict:
    props = {}
    for key, field_spec in spec.fields.items():
        schema = dict(_json_with_refs(field_spec.type, defs))
        if field_spec.nullable:
            schema = {"anyOf": [schema, {"type": "null"}]}
        schema["description"] = field_spec.doc
        props[key] = schema
    obj: dict = {"type": "object", "additionalProperties": False, "properties": props}
    required = [k for k, s in spec.fields.items() if s.required]
    if required:
        obj["required"] = required
    if spec.doc:
        obj["description"] = spec.doc
    if spec.shorthand is not None:
        return {"anyOf": [spec.shorthand.json(), obj]}
    return obj
