"""A built-in PHP rule whose every match is inside a /* */ comment is low: documentation that
quotes dangerous code does not run. //-commented payloads keep their severity (shells keep
disabled alternatives next to live code that way). Strings (including heredocs) never open a
comment, so the downgrade cannot hide live code."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from sscguard.detect.webshell.phpcomments import all_in_comments, comment_spans
from sscguard.detect.webshell.signatures import findings_for
from sscguard.model import Severity
from sscguard.rules.yara import Matcher, RuleSet

LIVE = b"<?php\nsystem($_GET['cmd']);\n"
QUOTED = (
    b"<?php\n/**\n * Never pass request data to the shell, e.g. passthru($_GET['cmd']).\n */\n"
    b"function safe() { return 1; }\n/* and never: system($_GET['cmd']); */\n"
)
LINE_COMMENTED = b"<?php\n$f = 'x';\n// @eval($_POST['op']);\n"
#: a heredoc holding "/*" and a string holding "//" before live code: still code
HEREDOC = b"<?php\n$t = <<<EOT\n/* not a comment\nEOT;\nsystem($_GET['cmd']); // */\n"
STRING = b"<?php\n$u = 'http://x/*';\nsystem($_GET['cmd']);\n"


def _yara(ruleset: RuleSet, data: bytes) -> dict[str, Severity]:
    hits = Matcher(ruleset).match(data, {})
    return {f.rule_id: f.severity for f in findings_for("x.php", data, hits, False)}


def test_quoted_shell_code_in_comments_is_low(ruleset: RuleSet) -> None:
    live = _yara(ruleset, LIVE)
    assert live and max(live.values()) >= Severity.HIGH
    quoted = _yara(ruleset, QUOTED)
    assert quoted and all(sev is Severity.LOW for sev in quoted.values()), quoted


def test_line_commented_payload_keeps_its_severity(ruleset: RuleSet) -> None:
    found = _yara(ruleset, LINE_COMMENTED)
    assert found and max(found.values()) >= Severity.MEDIUM, found


def test_strings_never_open_a_comment(ruleset: RuleSet) -> None:
    for page in (HEREDOC, STRING):
        found = _yara(ruleset, page)
        assert found and max(found.values()) >= Severity.HIGH, (page, found)


def test_spans_and_membership() -> None:
    data = b"<?php # a\n$x = 1; /* b */ ?> // html <?= 2 // c ?>"
    spans = comment_spans(data)
    assert [data[s:e] for s, e in spans] == [b"# a", b"/* b */", b"// c "]
    assert [data[s:e] for s, e in comment_spans(data, blocks_only=True)] == [b"/* b */"]
    assert all_in_comments([data.index(b"a\n")], spans)
    assert not all_in_comments([data.index(b"$x")], spans)
    assert not all_in_comments([data.index(b"html")], spans)  # template text is not a comment


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4000))
def test_lexer_never_fails_and_spans_are_ordered(data: bytes) -> None:
    spans = comment_spans(b"<?php " + data)
    assert all(0 <= s < e <= len(data) + 6 for s, e in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_documentation_files_quote_code_at_low(ruleset: RuleSet) -> None:
    """A Markdown page with a shell example is reported, but low: servers do not run it."""
    page = b"# Security\n\nNever write this:\n\n```php\n<?php system($_GET['cmd']); ?>\n```\n"
    hits = Matcher(ruleset).match(page, {})
    findings = findings_for("docs/security.md", page, hits, False)
    assert findings and all(f.severity is Severity.LOW for f in findings)
    assert any("documentation file" in e.detail for f in findings for e in f.evidence)
    same_as_php = findings_for("docs/security.php", page, hits, False)
    assert max(f.severity for f in same_as_php) >= Severity.HIGH
