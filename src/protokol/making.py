"""Model records made from converted values without running the frozen dataclasses' __init__ (see Maker): the
spec's Record.build and Record.quick make every record of a protocol this way."""

from __future__ import annotations


def _opt(values: dict, *keys) -> dict:
    return {k: values[k] for k in keys if k in values}


def builds(cls, **fixed) -> Maker:
    """What makes `cls` from a record's converted values (Record.build): see Maker."""
    return Maker(cls, **fixed)


class Maker:
    """Makes a model record from a record's converted values: every key goes to the attribute of the same name (`for`
    to `for_`, a Python keyword), positions to `pos`/`field_pos`, keys written as null to `not_recorded`.

    The instance is made as the dataclass's __init__ would make it (every field set, defaults for the rest), but
    without running it: a frozen dataclass's __init__ sets each field through object.__setattr__, and building
    every record of 10,000 protocols that way was a fifth of a cold `protokol due`. Record.quick() fills the state
    itself (fresh(), attribute, finish()); convert() passes a dict of values (__call__)."""

    def __init__(self, cls, **fixed):
        import dataclasses

        fields = dataclasses.fields(cls)
        names = {f.name for f in fields}
        self.cls = cls
        self.attribute = {name: name for name in names if name not in ("field_pos", "not_recorded", "pos")}
        self.attribute.update({name[:-1]: name for name in names if name.endswith("_")})  # `for` for `for_`
        self.defaults = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
        self.defaults.update(fixed)
        self.factories = [(f.name, f.default_factory) for f in fields
                          if f.default_factory is not dataclasses.MISSING and f.name != "field_pos"]
        self.needed = frozenset(f.name for f in fields if f.default is dataclasses.MISSING
                                and f.default_factory is dataclasses.MISSING and f.name not in fixed)
        self.has_pos, self.has_field_pos = "pos" in names, "field_pos" in names
        self.has_not_recorded = "not_recorded" in names

    def fresh(self) -> dict:
        """The state of a record with nothing given: the defaults."""
        state = dict(self.defaults)
        for name, factory in self.factories:
            state[name] = factory()
        return state

    def finish(self, state: dict, pos, field_pos: dict, nulls):
        """The record of `state`, with its positions and the keys written as null."""
        if self.has_pos and pos is not None:
            state["pos"] = pos
        if self.has_field_pos:
            state["field_pos"] = field_pos
        if self.has_not_recorded:
            state["not_recorded"] = frozenset(nulls)
        if not self.needed <= state.keys():
            raise TypeError(f"{self.cls.__name__} lacks {', '.join(sorted(self.needed - state.keys()))}")
        built = object.__new__(self.cls)
        object.__setattr__(built, "__dict__", state)
        return built

    def __call__(self, values: dict):
        state = self.fresh()
        attribute = self.attribute
        for key, value in values.items():
            name = attribute.get(key)
            if name is not None:
                state[name] = value
        return self.finish(state, values.get("pos"), values.get("field_pos", {}), values.get("nulls", ()))


def _with(record, **changes):
    """dataclasses.replace for the model's records, five times faster: a copy of the state with some fields changed."""
    changed = object.__new__(type(record))
    object.__setattr__(changed, "__dict__", {**record.__dict__, **changes})
    return changed
