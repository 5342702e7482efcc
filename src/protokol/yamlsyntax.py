"""Explains libyaml's syntax errors to a secretary: the place to look, what is wrong in plain words, a concrete fix.

libyaml reports where it *noticed* a mistake, in parser terms ("did not find expected ',' or ']' while parsing a flow
sequence"), often a line below the mistake itself. Here the error is matched against the few mistakes people make by
hand (an unclosed bracket or quote, a colon inside text, a line at a wrong indent, a tab) using libyaml's own token
stream up to the error, and re-told at the place the fix belongs. libyaml's original text stays at the end of the
message for whoever needs it. Only imported when a file fails to parse: clean files never pay for it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import yaml

from .i18n import _
from .problems import Pos

# Line breaks as YAML 1.1 (libyaml) counts them, so that line numbers agree with its marks.
_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
# Keys of the protocol format are English identifiers; text is Russian. That tells a key from a line of text.
_KEY = re.compile(r"(?P<dash>(?:- +)?)(?P<key>[A-Za-z_][A-Za-z0-9_-]*):(?=\s|$)")
_KEY_NO_SPACE = re.compile(r"(?P<dash>(?:- +)?)(?P<key>[A-Za-z_][A-Za-z0-9_-]*):(?P<value>[\w\"'«(№].*)")
_KEY_NO_COLON = re.compile(r"(?P<dash>(?:- +)?)(?P<key>[A-Za-z_][A-Za-z0-9_-]*)(?=\s+[^\s:#])")
# `key: plain text` (not a quote, bracket, block scalar or other indicator after the colon).
_KEY_TEXT = re.compile(r"(?:- +)?(?P<key>[^\s#:'\"\[\]{}][^#:]*?):\s+[^\s#'\"\[\]{}|>&*!%@`]")
_PLAIN_UNSAFE = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|: |:$| #|\s$")
_CLOSE = {"[": "]", "{": "}"}
_FLOW_START = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)
_FLOW_END = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)


class Explanation(NamedTuple):
    code: str
    pos: Pos
    message: str
    hint: str


def explain(text: str, exc: yaml.MarkedYAMLError) -> Explanation:
    """The problem to report for a libyaml error in `text`: code, position (1-based), message and hint."""
    explainer = _Explainer(text, exc)
    try:
        return explainer.explain()
    except Exception:  # noqa: BLE001 - a guess that goes wrong must not hide the error itself: report libyaml's words
        return explainer.plain()


def _shorten(text: str, limit: int = 80) -> str:
    """An example for a hint, cut in the middle when the line is long (the ends are what the reader recognises)."""
    return text if len(text) <= limit else text[: limit // 2 - 2].rstrip() + " … " + text[-(limit // 2 - 2) :].lstrip()


def _quoted(value: str) -> str:
    """`value` as YAML text in quotes: double quotes unless it holds a double quote or a backslash."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _as_value(value: str) -> str:
    """`value` as YAML text: as it is when that is safe, otherwise in quotes."""
    return _quoted(value) if _PLAIN_UNSAFE.search(value) else value


def _guillemets(text: str, quote: str) -> str:
    """Pairs of `quote` in `text` as «»: Об "итогах" года -> Об «итогах» года."""
    parts = text.split(quote)
    return "".join(part + ("«" if i % 2 == 0 else "»") for i, part in enumerate(parts[:-1])) + parts[-1]


def _closes(rest: str, bracket: str, close: str) -> bool:
    """Whether `rest` (of a line inside an open bracket) holds the bracket that closes it, skipping nested pairs and
    quoted text: `Петров П.П.]` does, `agenda: []` does not."""
    depth, quote = 0, ""
    for char in rest:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == bracket:
            depth += 1
        elif char == close:
            depth -= 1
            if depth < 0:
                return True
    return False


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class _Explainer:
    def __init__(self, text: str, exc: yaml.MarkedYAMLError):
        self.text = text
        self.lines = _BREAKS.split(text)
        self.problem = exc.problem or ""
        self.context = exc.context or ""
        pm, cm = exc.problem_mark, exc.context_mark
        self.pm = (pm.line, pm.column) if pm else None
        self.cm = (cm.line, cm.column) if cm else None
        self.original = " ".join(part for part in (self.problem, self.context) if part) or str(exc)
        self._tail: list | None = None
        self._open: list = []
        self._last_closed: tuple | None = None

    # --- helpers -------------------------------------------------------------------------------------------------

    def line(self, n: int) -> str:
        return self.lines[n] if 0 <= n < len(self.lines) else ""

    def char(self, at: tuple[int, int] | None) -> str:
        if at is None:
            return ""
        line = self.line(at[0])
        return line[at[1]] if 0 <= at[1] < len(line) else ""

    def is_content(self, n: int) -> bool:
        body = self.line(n).strip()
        return bool(body) and not body.startswith("#")

    def previous_content(self, n: int, lowest: int = 0) -> int | None:
        for k in range(min(n, len(self.lines)) - 1, lowest - 1, -1):
            if self.is_content(k):
                return k
        return None

    def scan(self) -> None:
        """One pass of libyaml's scanner up to the error (it runs ahead of the parser that failed), keeping only what
        the guesses need: the last tokens, the brackets still open and the opening of the last closed one."""
        if self._tail is not None:
            return
        self._tail, self._open, self._last_closed = [], [], None
        limit = self.pm or (len(self.lines), 0)
        try:
            for token in yaml.scan(self.text, Loader=yaml.CSafeLoader):
                if (token.start_mark.line, token.start_mark.column) >= limit:
                    break
                if isinstance(token, _FLOW_START):
                    self._open.append(token)
                elif isinstance(token, _FLOW_END) and self._open:
                    self._last_closed = (token, self._open.pop())
                if not isinstance(token, (yaml.StreamEndToken, yaml.BlockEndToken)):
                    self._tail.append(token)
                    if len(self._tail) > 3:
                        del self._tail[0]
        except yaml.YAMLError:
            pass

    def open_flows(self) -> list:
        """The '[' and '{' tokens still open where libyaml stopped, innermost last."""
        self.scan()
        return self._open

    def last_token(self):
        self.scan()
        return self._tail[-1] if self._tail else None

    def key_of_last(self) -> tuple[str, int, int] | None:
        """(key, line, column) of the key whose value the last token is, both 0-based."""
        self.scan()
        if len(self._tail) < 3 or not isinstance(self._tail[-2], yaml.ValueToken):
            return None
        key = self._tail[-3]
        if not isinstance(key, yaml.ScalarToken):
            return None
        return key.value, key.start_mark.line, key.start_mark.column

    def matching_open(self, end_token) -> tuple[int, int] | None:
        self.scan()
        if self._last_closed is None or self._last_closed[0] is not end_token:
            return None
        opening = self._last_closed[1]
        return opening.start_mark.line, opening.start_mark.column

    def problem_at(self, at: tuple[int, int], code: str, message: str, hint: str) -> Explanation:
        return Explanation(code, Pos(at[0] + 1, at[1] + 1), f"{message} (libyaml: {self.original})", hint)

    def syntax(self, at: tuple[int, int], message: str, hint: str) -> Explanation:
        return self.problem_at(at, "yaml-syntax", message, hint)

    # --- the mistakes, most specific first -----------------------------------------------------------------------

    def explain(self) -> Explanation:
        for attempt in (self.tab, self.end_of_file, self.unclosed_flow, self.swallowing_quote, self.text_after_closing,
                        self.flow_separator, self.colon_in_text, self.dash_after_key, self.special_character,
                        self.unknown_escape, self.indented_first_line, self.misplaced_line):
            found = attempt()
            if found is not None:
                return found
        return self.plain()

    def plain(self) -> Explanation:
        """libyaml's own words, for a mistake none of the above recognises."""
        at = self.pm or self.cm or (0, 0)
        context = f" {self.context}" if self.context else ""
        return Explanation("yaml-syntax", Pos(at[0] + 1, at[1] + 1),
                           _("YAML syntax error: {problem}{context}.").format(problem=self.problem or self.original, context=context),
                           _("Check indentation and quoting on this line and the one above; text containing ': ' or '#' needs quotes."))

    def tab(self) -> Explanation | None:
        at = None
        if self.char(self.pm) == "\t":
            at = self.pm
        elif self.pm is not None and "\t" in self.line(self.pm[0])[: _indent(self.line(self.pm[0])) + 1]:
            at = (self.pm[0], self.line(self.pm[0]).index("\t"))
        elif "tab" in self.problem or "\t" in self.problem:
            first = _TAB_INDENT.search(self.text)
            if first is not None:
                before = self.text[: first.end() - 1]
                at = (len(_BREAKS.findall(before)), len(_BREAKS.split(before)[-1]))
            else:
                at = self.pm or (0, 0)
        if at is None:
            return None
        line = self.line(at[0])
        if not line.strip():
            return self.problem_at(at, "yaml-tab", _("This line looks empty but holds a tab character, which YAML does not allow here."),
                                   _("Delete the tab (or the whole empty line)."))
        if line[: at[1]].strip() == "-":
            hint = _("Put a space after '-' instead of the tab.")
        else:
            hint = _("YAML indents with spaces only: replace the tab with spaces.")
        return self.problem_at(at, "yaml-tab", _("A tab character is used for indentation."), hint)

    def end_of_file(self) -> Explanation | None:
        if "end of stream" not in self.problem and "end of the stream" not in self.problem:
            return None
        if "quoted scalar" in self.context and self.cm is not None:
            quote = self.char(self.cm) or '"'
            end = self.end_of_text(self.cm[0])
            return self.problem_at(self.cm, "yaml-truncated",
                                   _("The quote {quote} opened here is never closed: the rest of the file is read as its text.").format(quote=quote),
                                   _("Add the closing {quote} at the end of line {line}: `{example}` (if the file was cut short, restore it from git).").format(
                                       quote=quote, line=end + 1, example=_shorten(self.line(end).strip() + quote)))
        return self.problem_at(self.cm or self.pm or (0, 0), "yaml-truncated", _("The file ends in the middle of a value."),
                               _("The file may be cut short: close the open quote or bracket, or restore it from git."))

    def end_of_text(self, start: int) -> int:
        """The line where a quote or bracket opened on line `start` was most likely meant to close: the last line before
        one that looks like the file's structure again (a key or a list item, or a line no deeper than `start`)."""
        end = start
        for n in range(start + 1, len(self.lines)):
            if not self.is_content(n):
                continue
            body = self.line(n).lstrip(" ")
            if _KEY.match(body) or body.startswith("- ") or _indent(self.line(n)) <= _indent(self.line(start)):
                break
            end = n
        return end

    def unclosed_flow(self) -> Explanation | None:
        stack = self.open_flows()
        if not stack or self.pm is None:
            return None
        opening = stack[-1]
        at = (opening.start_mark.line, opening.start_mark.column)
        bracket = self.char(at)
        close = _CLOSE.get(bracket)
        if close is None or _closes(self.line(self.pm[0])[self.pm[1] :], bracket, close):
            return None  # closed later on the line where libyaml stopped: something between the items is wrong
        # where the list was meant to end: before the lines that look like the file's structure again (in brackets
        # libyaml reads `agenda: []` on the next line as one more item, so its own stop is no guide)
        end = min(self.end_of_text(at[0]), max(self.pm[0], at[0]))
        message = _("The bracket '{open}' opened here is never closed with '{close}'.").format(open=bracket, close=close)
        line = self.line(end).rstrip()
        if end == at[0] and line.endswith(bracket):
            hint = _("Delete the '{open}' if the lines below are the items of a list written with '- ', or close it on the same line: `{example}`.")
        else:
            hint = _("Add '{close}' at the end of line {line}: `{example}`.")
        return self.syntax(at, message, hint.format(open=bracket, close=close, line=end + 1, example=_shorten(line.strip() + close)))

    def swallowing_quote(self) -> Explanation | None:
        """An unclosed quote that runs on over lines of structure until the next quote of its kind."""
        token = self.last_token()
        if not isinstance(token, yaml.ScalarToken) or token.style not in ('"', "'") or self.pm is None:
            return None
        start, stop = token.start_mark, token.end_mark
        if start.line == stop.line or stop.line != self.pm[0]:
            return None
        inside = [self.line(n).lstrip(" ") for n in range(start.line + 1, stop.line + 1)]
        if not any(_KEY.match(body) or body.startswith("- ") for body in inside):
            return None
        end = self.end_of_text(start.line)
        quote = token.style
        return self.syntax((start.line, start.column),
                           _("The quote {quote} opened here is not closed on its line: everything up to the next {quote} on line {line} is read as its text.").format(
                               quote=quote, line=stop.line + 1),
                           _("Add the closing {quote} at the end of line {line}: `{example}`.").format(
                               quote=quote, line=end + 1, example=_shorten(self.line(end).strip() + quote)))

    def text_after_closing(self) -> Explanation | None:
        """Text after a closing quote or bracket on the same line: `"Точка роста" — итоги`, `[1] Приказ`."""
        token = self.last_token()
        if token is None or self.pm is None or token.end_mark.line != self.pm[0]:
            return None
        if self.line(self.pm[0])[token.end_mark.column : self.pm[1]].strip():
            return None
        in_flow = bool(self.open_flows())
        line = self.line(self.pm[0])
        if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
            quote = token.style
            message = _("There is text after the closing quote ({quote}), but a value that starts with a quote must end with it.").format(quote=quote)
            if in_flow or token.start_mark.line != token.end_mark.line:
                return self.syntax(self.pm, message, _("If the quotes are part of the text, write them as «» or put the whole item in quotes."))
            prefix = line[: token.start_mark.column].strip()
            whole = line[token.start_mark.column :].rstrip()
            if whole.endswith(quote) and whole.count(quote) % 2 == 0:  # "Об "итогах" года": quotes inside quotes
                inner = whole[1:-1]
                guillemets = _as_value(_guillemets(inner, quote))
                whole = _quoted(inner) if quote == "'" else "'" + inner.replace("'", "''") + "'"
            else:  # "Точка роста" — итоги: the text begins with a quoted name
                guillemets = _as_value(f"«{token.value}»{line[token.end_mark.column :].rstrip()}")
                whole = _quoted(whole)
            return self.syntax(self.pm, message, _("If the quotes are part of the text, write them as «»: `{example}`, or put the whole text in quotes: `{quoted}`.").format(
                example=_shorten(f"{prefix} {guillemets}".strip()), quoted=_shorten(f"{prefix} {whole}".strip())))
        if isinstance(token, _FLOW_END) and not in_flow:
            close = self.char((token.start_mark.line, token.start_mark.column))
            start = self.matching_open(token)
            message = _("There is text after the closing '{close}', but a value that starts with '[' or '{{' is a list or a mapping in brackets.").format(close=close)
            if start is None or start[0] != self.pm[0]:
                return self.syntax(self.pm, message, _("If this is text, put the whole value in quotes."))
            prefix = line[: start[1]].strip()
            return self.syntax(self.pm, message, _("If this is text, put the whole value in quotes: `{example}`.").format(
                example=_shorten(f"{prefix} {_quoted(line[start[1]:].rstrip())}".strip())))
        return None

    def flow_separator(self) -> Explanation | None:
        """Inside a closed list or mapping in brackets, something other than ',' follows an item."""
        if "expected ','" not in self.problem or self.pm is None:
            return None
        stack = self.open_flows()
        if not stack:
            return None
        bracket = self.char((stack[-1].start_mark.line, stack[-1].start_mark.column)) or "["
        return self.syntax(self.pm, _("Expected ',' or '{close}' here, inside the '{open}' opened on line {line}.").format(
            close=_CLOSE.get(bracket, "]"), open=bracket, line=stack[-1].start_mark.line + 1),
            _("Separate the items with commas; an item that holds a quote, a comma or ': ' must be in quotes as a whole."))

    def colon_in_text(self) -> Explanation | None:
        if "mapping values are not allowed" not in self.problem or self.pm is None:
            return None
        token = self.last_token()
        if not isinstance(token, yaml.ScalarToken) or token.style not in ("", None):
            return None
        start = token.start_mark
        first = self.line(start.line)
        if start.line == self.pm[0]:
            prefix = first[: start.column].strip()
            value = first[start.column :].rstrip()
            return self.syntax(self.pm, _("A colon followed by a space inside text that is not in quotes: YAML takes it for a new key."),
                               _("Put the whole text in quotes: `{example}`.").format(example=_shorten(f"{prefix} {_quoted(value)}".strip())))
        line = self.pm[0]
        owner = self.key_of_last()
        if start.column == _indent(first):  # the text starts its line: was it meant as `key: value`?
            no_space = _KEY_NO_SPACE.match(first[start.column :])
            if no_space is not None:
                return self.missing_space(start.line, start.column, no_space)
            no_colon = _KEY_NO_COLON.match(first[start.column :])
            if owner is None and no_colon is not None:
                return self.missing_colon(start.line, start.column, no_colon)
        if owner is None and _indent(self.line(line)) <= start.column:
            return self.syntax((start.line, start.column), _("This line is text without a key, so the lines after it are read as more of the same text."),
                               _("Write it as `key: value`, or delete it."))
        return self.deeper_than_text((line, _indent(self.line(line))))

    def missing_colon(self, line: int, column: int, match: re.Match) -> Explanation:
        rest = self.line(line)[column + match.end() :].strip()
        return self.syntax((line, column + match.end()), _("A ':' is missing after `{key}`.").format(key=match["key"]),
                           _("Write a colon and a space after the key: `{example}`.").format(
                               example=_shorten(f"{match['dash']}{match['key']}: {rest}")))

    def missing_space(self, line: int, column: int, match: re.Match) -> Explanation:
        colon = column + match.end("key")
        fixed = f"{match['dash']}{match['key']}: {match['value'].rstrip()}"
        return self.syntax((line, colon), _("No space after ':', so `{text}` is read as text, not as a key and its value.").format(
            text=_shorten(self.line(line).strip(), 40)), _("Put a space after the colon: `{example}`.").format(example=_shorten(fixed)))

    def deeper_than_text(self, at: tuple[int, int]) -> Explanation:
        """The line at `at` is indented deeper than the key above it, so libyaml read it (the last token) as more of
        that key's text."""
        key = self.key_of_last()
        body = self.line(at[0]).lstrip(" ")
        if key is None:
            message = _("This line is indented deeper than the line above, so it is read as the continuation of its text.")
        else:
            message = _("This line is indented deeper than `{key}:` on line {line}, so it is read as the continuation of its text.").format(
                key=key[0], line=key[1] + 1)
        if body.startswith("-"):
            return self.syntax(at, message, self.dash_hint(at[0]))
        this = _KEY.match(body) or _KEY_NO_SPACE.match(body)
        if key is not None and this is not None:
            hint = _("Start `{this}:` in column {column}, like `{key}:`; if the line is part of the text, put the whole text in quotes.").format(
                this=this["key"], column=key[2] + 1, key=key[0])
        else:
            hint = _("Line it up with the keys above; if the line is part of the text, put the whole text in quotes.")
        return self.syntax(at, message, hint)

    def dash_hint(self, n: int) -> str:
        line = self.line(n)
        indent = _indent(line)
        best = None
        for k in range(n - 1, -1, -1):
            if not self.is_content(k):
                continue
            other = self.line(k)
            other_indent = _indent(other)
            body = other[other_indent:]
            if body == "-" or body.startswith("- "):
                distance = abs(other_indent - indent)
                if best is None or distance < best[0]:
                    best = (distance, k, other_indent)
            elif other_indent < indent and not _KEY_TEXT.match(body):
                break  # the key that opens the block this line is in: its lists are not this line's
        if best is None:
            return _("A list needs a key of its own: write `key:` on a line and the '- ' items on the lines below it, indented.")
        return _("Line up '-' with the '-' on line {line} (column {column}).").format(line=best[1] + 1, column=best[2] + 1)

    def dash_after_key(self) -> Explanation | None:
        if "block sequence entries are not allowed" not in self.problem or self.pm is None:
            return None
        return self.syntax(self.pm, _("A list item '- ' cannot start on the line of its key."),
                           _("Move `{item}` to the next line, indented under its key; if it is text, put it in quotes.").format(
                               item=_shorten(self.line(self.pm[0])[self.pm[1] :].strip(), 40)))

    def special_character(self) -> Explanation | None:
        if "cannot start any token" in self.problem or ("node content" in self.problem and self.char(self.pm) in tuple(",]}:?#|>&*!%@`")):
            at = self.pm
        elif any(what in self.context for what in ("an alias", "an anchor", "a tag", "a block scalar", "a directive")):
            at = self.cm
        else:
            return None
        if at is None:
            return None
        char = self.char(at)
        line = self.line(at[0])
        prefix = line[: at[1]].strip()
        example = f"{prefix} {_quoted(line[at[1]:].rstrip())}".strip()
        hint = _("Put the text in quotes: `{example}`.").format(example=_shorten(example))
        if self.open_flows():
            hint = _("Put the item in quotes.")
        return self.syntax(at, _("'{char}' has a special meaning in YAML and cannot start text that is not in quotes.").format(char=char), hint)

    def unknown_escape(self) -> Explanation | None:
        if "unknown escape" not in self.problem or self.pm is None or self.cm is None:
            return None
        token_line = self.line(self.cm[0])
        value = token_line[self.cm[1] :].rstrip()
        if value.startswith('"') and value.endswith('"') and len(value) > 1:
            value = value[1:-1]
        example = f"{token_line[: self.cm[1]].strip()} '{value}'".strip()
        at = self.pm  # the backslash
        return self.syntax(at, _("Inside double quotes a backslash starts a special sequence, and '{text}' is not one.").format(
            text=self.line(at[0])[at[1] : at[1] + 2]),
            _("Use single quotes for text with backslashes: `{example}`.").format(example=_shorten(example)))

    def indented_first_line(self) -> Explanation | None:
        """` date: …` then `title: …`: the first line sets the column of the top level, and the others leave it."""
        if "<document start>" not in self.problem or self.pm is None:
            return None
        first = next((n for n in range(len(self.lines)) if self.is_content(n)), None)
        if first is None:
            return None
        body = self.line(first).lstrip(" ")
        if first < self.pm[0] and not (_KEY.match(body) or _KEY_NO_SPACE.match(body) or body.startswith(("-", "[", "{", "?"))):
            return self.syntax((first, _indent(self.line(first))),
                               _("This line is text without a key, so the lines after it are read as more of the same text."),
                               _("Write it as `key: value`, or delete it."))
        if _indent(self.line(first)) <= _indent(self.line(self.pm[0])):
            return None
        return self.syntax((first, _indent(self.line(first))),
                           _("The first line of the file is indented more than line {line}: the top-level keys must all start in column 1.").format(
                               line=self.pm[0] + 1),
                           _("Remove the spaces at the start of this line."))

    def misplaced_line(self) -> Explanation | None:
        """A line that does not fit the structure around it: libyaml expected a key, a '-' or a ':' and found it."""
        if "could not find expected ':'" in self.problem and self.cm is not None:
            n = self.cm[0]
        elif self.pm is not None and any(what in self.problem for what in ("expected key", "'-' indicator", "expected <block end>", "node content")):
            n = self.pm[0]
            if not self.line(n)[: self.pm[1]].strip() == "":
                return None  # libyaml stopped in the middle of a line: not a question of this line's indent
        else:
            return None
        line = self.line(n)
        indent = _indent(line)
        body = line[indent:]
        at = (n, indent)
        if body == "-" or body.startswith("- "):
            previous = self.dash_hint(n)
            return self.syntax(at, _("A list item '-' at a wrong indent: it does not line up with the items of any list above."), previous)
        no_space = _KEY_NO_SPACE.match(body)
        if no_space is not None:
            return self.missing_space(n, indent, no_space)
        key = _KEY.match(body)
        if key is not None:
            return self.misplaced_key(n, indent + len(key["dash"]), key["key"])
        no_colon = _KEY_NO_COLON.match(body)
        if no_colon is not None:
            return self.missing_colon(n, indent, no_colon)
        if body[:1] in ("]", "}", ",", ":", "?"):
            return self.syntax(at, _("The '{char}' at the start of this line does not belong there.").format(char=body[0]),
                               _("Delete it; if it is part of the text, put the whole text in quotes."))
        owner = self.text_owner(n)
        if owner is not None:
            key, k, column = owner
            return self.syntax(at, _("This line continues the text of `{key}:` on line {line}, but is not indented deeper than `{key}:`.").format(
                key=key, line=k + 1), _("Indent it deeper than `{key}:` (start it in column {column} or further), or join it to line {line}.").format(
                key=key, column=column + 2, line=k + 1))
        return self.syntax(at, _("This line does not fit the lines around it: it is neither `key: value` nor a list item '- '."),
                           _("Check its indentation against the lines above; text that continues a value must be indented deeper than its key."))

    def misplaced_key(self, n: int, column: int, key: str) -> Explanation:
        best = None
        for k in range(n - 1, -1, -1):
            if not self.is_content(k):
                continue
            other = self.line(k)
            match = _KEY.match(other.lstrip(" "))
            other_indent = _indent(other)
            if match is not None:
                other_column = other_indent + len(match["dash"])
                distance = abs(other_column - column)
                if best is None or distance < best[0]:
                    best = (distance, k, other_column, match["key"])
            if other_indent < column:
                break
        message = _("The key `{key}:` is indented differently from the keys around it.").format(key=key)
        if best is None:
            return self.syntax((n, column), message, _("Keys of one level start in the same column: line it up with the keys above."))
        return self.syntax((n, column), message, _("Keys of one level start in the same column: move `{key}:` to column {column}, like `{other}:` on line {line}.").format(
            key=key, column=best[2] + 1, other=best[3], line=best[1] + 1))

    def text_owner(self, n: int) -> tuple[str, int, int] | None:
        """(key, line, column) of the `key: text` that the line `n` seems to continue, both 0-based."""
        indent = _indent(self.line(n))
        k = n
        while True:
            k = self.previous_content(k)
            if k is None:
                return None
            other = self.line(k)
            match = _KEY_TEXT.match(other.lstrip(" "))
            if match is not None:
                return match["key"], k, _indent(other) + match.start("key")
            if _indent(other) < indent or _KEY.match(other.lstrip(" ")) or other.lstrip(" ").startswith("- "):
                return None
