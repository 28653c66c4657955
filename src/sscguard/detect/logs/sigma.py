"""A small, complete-for-its-scope Sigma evaluator: SigmaHQ-format rules on parsed events.

Supported: selections as maps, lists of maps and keyword lists; value lists (OR, or AND with
``|all``); wildcards ``*`` ``?`` with backslash escapes; modifiers ``contains``, ``startswith``,
``endswith``, ``all``, ``re`` (with ``i``/``m``/``s``), ``cased``, ``exists``, ``windash``,
``base64``, ``base64offset``, ``cidr``, ``lt``/``lte``/``gt``/``gte``; ``null`` values;
conditions with ``and``/``or``/``not``/parentheses and ``1 of``/``any of``/``all of`` over
names, ``name*`` patterns and ``them``. Aggregations (``| count``) and correlation rules are
refused with a reason. Matching is case-insensitive unless ``cased`` is given, as in Sigma.

Pure: rules are parsed from already-loaded YAML data; events are plain ``{field: str}`` maps.
"""

from __future__ import annotations

import base64
import ipaddress
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Event = Mapping[str, str]
Matcher = Callable[[Event], bool]

MODIFIERS = frozenset(
    {
        "contains",
        "startswith",
        "endswith",
        "all",
        "re",
        "i",
        "m",
        "s",
        "cased",
        "exists",
        "windash",
        "base64",
        "base64offset",
        "cidr",
        "lt",
        "lte",
        "gt",
        "gte",
        "wide",
        "utf16le",
        "utf16be",
        "utf16",
    }
)


class SigmaError(ValueError):
    """A rule sscguard cannot evaluate; the message says why."""


@dataclass(frozen=True, slots=True)
class SigmaRule:
    id: str
    title: str
    level: str
    category: str
    product: str
    service: str
    tags: tuple[str, ...]
    source: str
    match: Matcher
    description: str = ""


# -- values ------------------------------------------------------------------------------------


def _wildcard_regex(value: str, prefix_any: bool, suffix_any: bool) -> str:
    out = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value) and value[i + 1] in "*?\\":
            out.append(re.escape(value[i + 1]))
            i += 2
            continue
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        else:
            out.append(re.escape(ch))
        i += 1
    body = "".join(out)
    return ("" if prefix_any else "^") + body + ("" if suffix_any else "$")


def _windash(value: str) -> list[str]:
    variants = {value}
    for dash in ("-", "/", "\u2013", "\u2014", "\u2015"):
        variants.add(re.sub(r"(^|\s)[-/\u2013\u2014\u2015]", r"\g<1>" + dash, value))
    return sorted(variants)


def _b64_variants(value: str, offset: bool) -> list[str]:
    """The base64 text of ``value`` (``base64``) or of it at each of 3 byte offsets, trimmed
    to the characters that do not depend on neighbouring bytes (``base64offset``)."""
    raw = value.encode()
    if not offset:
        return [base64.b64encode(raw).decode()]
    out = []
    for shift in range(3):
        encoded = base64.b64encode(b" " * shift + raw).decode()
        start = (0, 2, 3)[shift]
        end = (None, -3, -2)[(len(raw) + shift) % 3]
        out.append(encoded[start:end])
    return out


def _value_matcher(value: Any, mods: Sequence[str]) -> Callable[[str | None], bool]:
    """One value with its modifiers -> a predicate on the field's value (None: absent)."""
    if "exists" in mods:
        want = bool(value) if isinstance(value, bool) else str(value).lower() == "true"
        return lambda v: (v is not None) == want
    if value is None:
        return lambda v: v is None or v == ""
    for op in ("lt", "lte", "gt", "gte"):
        if op in mods:
            try:
                limit = float(value)
            except (TypeError, ValueError):
                raise SigmaError(f"|{op} needs a number, got {value!r}") from None

            def compare(v: str | None, op: str = op, limit: float = limit) -> bool:
                try:
                    n = float(v or "")
                except ValueError:
                    return False
                return {"lt": n < limit, "lte": n <= limit, "gt": n > limit, "gte": n >= limit}[op]

            return compare
    if "cidr" in mods:
        try:
            net = ipaddress.ip_network(str(value), strict=False)
        except ValueError:
            raise SigmaError(f"bad |cidr network {value!r}") from None

        def in_net(v: str | None) -> bool:
            try:
                return v is not None and ipaddress.ip_address(v.strip()) in net
            except ValueError:
                return False

        return in_net
    if isinstance(value, bool):
        value = "true" if value else "false"
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        raise SigmaError(f"unsupported value {value!r}")
    flags = 0 if "cased" in mods else re.IGNORECASE
    if "re" in mods:
        if "i" in mods:
            flags |= re.IGNORECASE
        elif "cased" not in mods:
            flags = 0  # Sigma regexes are case-sensitive unless |i
        if "m" in mods:
            flags |= re.MULTILINE
        if "s" in mods:
            flags |= re.DOTALL
        try:
            pattern = re.compile(value, flags)
        except re.error as exc:
            raise SigmaError(f"bad regular expression {value!r}: {exc}") from None
        return lambda v: v is not None and pattern.search(v) is not None
    variants = [value]
    if "windash" in mods:
        variants = [w for v in variants for w in _windash(v)]
    if "base64" in mods or "base64offset" in mods:
        variants = [b for v in variants for b in _b64_variants(v, "base64offset" in mods)]
        variants = [
            v.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?") for v in variants
        ]
        if "base64offset" in mods and "contains" not in mods:
            mods = (*mods, "contains")
    contains = "contains" in mods
    prefix_any = contains or "endswith" in mods
    suffix_any = contains or "startswith" in mods
    patterns = [
        re.compile(_wildcard_regex(v, prefix_any, suffix_any), flags | re.DOTALL) for v in variants
    ]
    return lambda v: v is not None and any(p.search(v) for p in patterns)


def _field_matcher(spec: str, values: Any) -> Matcher:
    name, *mods = spec.split("|")
    unknown = [m for m in mods if m not in MODIFIERS]
    if unknown:
        raise SigmaError(f"unsupported modifier(s) {', '.join(unknown)} on {spec!r}")
    if any(m in ("wide", "utf16le", "utf16be", "utf16") for m in mods):
        raise SigmaError(f"UTF-16 modifiers are not supported ({spec!r})")
    items = values if isinstance(values, list) else [values]
    if not items:
        raise SigmaError(f"empty value list for {spec!r}")
    preds = [_value_matcher(v, mods) for v in items]
    need_all = "all" in mods
    if not name:  # a keyword-style field-less value list
        return _keywords_matcher(items, mods)

    def match(event: Event) -> bool:
        value = _lookup(event, name)
        if need_all:
            return all(p(value) for p in preds)
        return any(p(value) for p in preds)

    return match


def _lookup(event: Event, name: str) -> str | None:
    if name in event:
        return event[name]
    low = name.lower()
    for key, value in event.items():
        if key.lower() == low:
            return value
    return None


def _keywords_matcher(items: Sequence[Any], mods: Sequence[str] = ()) -> Matcher:
    preds = [_value_matcher(v, (*mods, "contains")) for v in items if v is not None]
    if len(preds) != len(items):
        raise SigmaError("null in a keyword list")
    need_all = "all" in mods

    def match(event: Event) -> bool:
        values = [v for v in event.values() if v]
        hits = (any(p(v) for v in values) for p in preds)
        return all(hits) if need_all else any(hits)

    return match


def _selection(definition: Any) -> Matcher:
    if isinstance(definition, Mapping):
        if not definition:
            raise SigmaError("empty selection")
        parts = [_field_matcher(str(k), v) for k, v in definition.items()]
        return lambda e: all(p(e) for p in parts)
    if isinstance(definition, list):
        if all(isinstance(d, Mapping) for d in definition) and definition:
            alts = [_selection(d) for d in definition]
            return lambda e: any(a(e) for a in alts)
        if all(not isinstance(d, Mapping | list) for d in definition) and definition:
            return _keywords_matcher(definition)
        raise SigmaError("a selection list must hold only maps or only keywords")
    if isinstance(definition, str | int):
        return _keywords_matcher([definition])
    raise SigmaError(f"unsupported selection {type(definition).__name__}")


# -- conditions --------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(\(|\)|[A-Za-z0-9_*.\-]+)")


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise SigmaError(f"cannot parse condition near {text[pos : pos + 20]!r}")
        out.append(m.group(1))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


def compile_condition(text: str, selections: Mapping[str, Matcher]) -> Matcher:
    if "|" in text:
        raise SigmaError("aggregation conditions ('| count' ...) are not supported")
    tokens = _tokens(text)
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        if pos >= len(tokens):
            raise SigmaError(f"condition ends too early: {text!r}")
        pos += 1
        return tokens[pos - 1]

    def names(pattern: str) -> list[Matcher]:
        if pattern == "them":
            chosen = [m for n, m in selections.items() if not n.startswith("_")]
        else:
            rx = re.compile(_wildcard_regex(pattern, False, False))
            chosen = [m for n, m in selections.items() if rx.match(n)]
        if not chosen:
            raise SigmaError(f"condition names no selection matching {pattern!r}")
        return chosen

    def primary() -> Matcher:
        tok = take()
        low = tok.lower()
        if tok == "(":
            inner = expr()
            if take() != ")":
                raise SigmaError(f"unbalanced parentheses in {text!r}")
            return inner
        if low == "not":
            operand = primary()
            return lambda e: not operand(e)
        if low in ("1", "any", "all") and (peek() or "").lower() == "of":
            take()
            group = names(take())
            if low == "all":
                return lambda e: all(m(e) for m in group)
            return lambda e: any(m(e) for m in group)
        if tok in selections:
            return selections[tok]
        raise SigmaError(f"condition names unknown selection {tok!r}")

    def conjunction() -> Matcher:
        parts = [primary()]
        while (peek() or "").lower() == "and":
            take()
            parts.append(primary())
        return parts[0] if len(parts) == 1 else (lambda e: all(p(e) for p in parts))

    def expr() -> Matcher:
        parts = [conjunction()]
        while (peek() or "").lower() == "or":
            take()
            parts.append(conjunction())
        return parts[0] if len(parts) == 1 else (lambda e: any(p(e) for p in parts))

    result = expr()
    if pos != len(tokens):
        raise SigmaError(f"unexpected {tokens[pos]!r} in condition {text!r}")
    return result


def parse_rule(doc: Mapping[str, Any], source: str) -> SigmaRule:
    """Build a rule from one YAML document; raises SigmaError with the reason."""
    if not isinstance(doc, Mapping):
        raise SigmaError("not a mapping")
    if "correlation" in doc:
        raise SigmaError("correlation rules are not supported")
    title = doc.get("title")
    detection = doc.get("detection")
    logsource = doc.get("logsource")
    if not isinstance(title, str) or not title.strip():
        raise SigmaError("missing title")
    if not isinstance(detection, Mapping):
        raise SigmaError("missing detection")
    if not isinstance(logsource, Mapping):
        raise SigmaError("missing logsource")
    condition = detection.get("condition")
    if condition is None:
        raise SigmaError("missing detection.condition")
    selections = {
        str(name): _selection(value)
        for name, value in detection.items()
        if name not in ("condition", "timeframe")
    }
    conditions = condition if isinstance(condition, list) else [condition]
    matchers = [compile_condition(str(c), selections) for c in conditions]
    match: Matcher = matchers[0] if len(matchers) == 1 else (lambda e: any(m(e) for m in matchers))
    level = str(doc.get("level") or "medium").lower()
    tags = doc.get("tags") or []
    return SigmaRule(
        id=str(doc.get("id") or title),
        title=title.strip(),
        level=level,
        category=str(logsource.get("category") or "").lower(),
        product=str(logsource.get("product") or "").lower(),
        service=str(logsource.get("service") or "").lower(),
        tags=tuple(str(t) for t in tags) if isinstance(tags, list) else (),
        source=source,
        match=match,
        description=str(doc.get("description") or ""),
    )


# -- which rules apply to which events ------------------------------------------------------

_SERVICE_CHANNELS = {
    "security": ("security",),
    "system": ("system",),
    "application": ("application",),
    "sysmon": ("microsoft-windows-sysmon/operational", "sysmon"),
    "msexchange-management": ("msexchange management",),
    "powershell": ("microsoft-windows-powershell/operational",),
    "auditd": ("auditd",),
    "iis-configuration": ("microsoft-iis-configuration/operational",),
}
_CATEGORY_ALIASES = {
    "registry_set": ("registry_set",),
    "registry_event": ("registry_set", "registry_event"),
    "registry_add": ("registry_event",),
}


def applies(rule: SigmaRule, category: str, product: str, channel: str) -> bool:
    """Does the rule's logsource cover an event of this category/product/channel?"""
    if rule.category:
        wanted = _CATEGORY_ALIASES.get(rule.category, (rule.category,))
        if category not in wanted:
            return False
    if rule.product and category != "webserver" and rule.product != product:
        return False
    if rule.service:
        channels = _SERVICE_CHANNELS.get(rule.service, (rule.service,))
        if channel.lower() not in channels:
            return False
    return bool(rule.category or rule.service or rule.product)


# -- running rules and reporting hits -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SigmaHit:
    """One event a rule matched: the rule, where the event is, and a short excerpt."""

    rule: str
    seq: int  # access-log record number (webserver rules), -1 for host events
    path: str
    line: int | None
    excerpt: str

    def rebased(self, offset: int) -> SigmaHit:
        if self.seq < 0:
            return self
        return SigmaHit(self.rule, self.seq + offset, self.path, self.line, self.excerpt)


MAX_HITS = 10_000


def webserver_event(row: Mapping[str, Any]) -> dict[str, str]:
    """An access-log record under the field names SigmaHQ's webserver rules use."""

    def text(name: str) -> str:
        value = row.get(name) or b""
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

    stem, query = text("path"), text("query")
    return {
        "c-ip": text("client"),
        "cs-method": text("method"),
        "cs-uri-stem": stem,
        "cs-uri-query": query,
        "cs-uri": stem + ("?" + query if query else ""),
        "sc-status": str(row.get("status", "")),
        "cs-user-agent": text("ua"),
        "cs-referer": text("referer"),
        "date": text("time"),
    }


@dataclass(slots=True)
class WebserverSigma:
    """Evaluates ``category: webserver`` rules on access-log batches (row by row, in Python)."""

    rules: tuple[SigmaRule, ...]

    def __post_init__(self) -> None:
        self.rules = tuple(r for r in self.rules if applies(r, "webserver", "", ""))

    def __call__(self, batch: Any, path: str) -> list[SigmaHit]:
        if not self.rules:
            return []
        hits: list[SigmaHit] = []
        for row in batch.to_pylist():
            event = webserver_event(row)
            for rule in self.rules:
                if rule.match(event) and len(hits) < MAX_HITS:
                    excerpt = f"{event['cs-method']} {event['cs-uri']} {event['sc-status']}"
                    hits.append(SigmaHit(rule.id, int(row["seq"]), path, None, excerpt))
        return hits


def host_hits(rules: Sequence[SigmaRule], event: Any) -> list[SigmaHit]:
    """Rules that match one HostEvent (``category``, ``product`` and ``service`` respected)."""
    out = []
    for rule in rules:
        if rule.category == "webserver":
            continue
        if applies(rule, event.category, event.product, event.channel) and rule.match(event.fields):
            excerpt = (
                event.fields.get("CommandLine")
                or event.fields.get("TargetFilename")
                or (event.fields.get("TargetObject") or f"event {event.event_id}")
            )
            out.append(SigmaHit(rule.id, -1, event.source, event.record or None, excerpt))
    return out
