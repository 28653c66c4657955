"""``sscguard baseline init|verify|accept|watch|sign|keygen|show``: integrity of component
locations (T1505, M1047/M1045)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, TextIO

from sscguard.commands.common import EXIT_CLEAN, UsageError, command_line, config_from, emit

NAME = "baseline"
HELP = "baseline, verify and watch server component locations (T1505, M1047/M1045)"
DESCRIPTION = (
    "Record the server component locations (web roots, module folders, server configs) in a "
    "signed SQLite baseline, verify them fast, approve changes with an audit trail, and watch "
    "them in real time. See docs/baseline.md."
)

DEFAULT_DB = "/var/lib/sscguard/baseline.db"


def default_db() -> str:
    return os.environ.get("SSCGUARD_BASELINE_DB") or DEFAULT_DB


def _common(parser: argparse.ArgumentParser, root: bool = True) -> None:
    from sscguard import cli

    parser.add_argument(
        "--db",
        metavar="FILE",
        default=None,
        help=f"baseline database (default: $SSCGUARD_BASELINE_DB or {DEFAULT_DB})",
    )
    if root:
        parser.add_argument(
            "--root",
            metavar="DIR",
            default="/",
            help="the system to examine: / for this host, or a mounted image (default /)",
        )
    cli._common_options(parser)


def _scan_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-j", "--jobs", type=int, metavar="N", help="hashing threads (default: cores)"
    )
    parser.add_argument(
        "--rules", action="append", metavar="DIR", help="extra YARA rules for the content scan"
    )
    parser.add_argument(
        "--max-file-size", metavar="SIZE", help="content scan limit per file (default 32MiB)"
    )


def _signature_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pubkey",
        metavar="PUB.pem",
        help="refuse the baseline unless its signature verifies with this Ed25519 public key",
    )
    parser.add_argument(
        "--signature", metavar="FILE", help="detached signature file (default: DB.sig)"
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="baseline_action", metavar="ACTION")

    p = sub.add_parser("init", help="take a new baseline (replaces the old one atomically)")
    p.add_argument(
        "--path",
        action="append",
        metavar="PATH",
        default=[],
        help="add a location (a host path, read under --root); repeatable",
    )
    p.add_argument(
        "--no-default-locations",
        action="store_true",
        help="cover only the --path locations, not the built-in server locations",
    )
    _scan_options(p)
    _common(p)

    p = sub.add_parser("verify", help="compare the locations with the baseline")
    p.add_argument(
        "--sample",
        default="1%",
        metavar="N|P%",
        help="also re-hash a random sample of unchanged files: a count or a percentage "
        "(default 1%%)",
    )
    p.add_argument("--full", action="store_true", help="re-hash every file")
    _signature_options(p)
    _scan_options(p)
    _common(p)

    p = sub.add_parser("accept", help="approve changes; who, when and why go to the audit trail")
    p.add_argument("paths", nargs="*", metavar="PATH", help="host paths to accept (and below)")
    p.add_argument("--all", action="store_true", help="accept every change verify would report")
    p.add_argument("--reason", required=True, help="why the change is approved (recorded)")
    _scan_options(p)
    _common(p)

    p = sub.add_parser("watch", help="watch the locations with inotify; findings as JSON Lines")
    p.add_argument(
        "--no-initial-verify",
        action="store_true",
        help="do not run a stat verify when the watch starts",
    )
    p.add_argument(
        "--settle",
        type=float,
        default=0.2,
        metavar="SECONDS",
        help="wait this long after an event for writes to finish before scanning (default 0.2)",
    )
    _signature_options(p)
    _scan_options(p)
    _common(p)

    p = sub.add_parser("sign", help="sign the baseline with an Ed25519 private key")
    p.add_argument("--key", required=True, metavar="PRIVATE.pem", help="Ed25519 private key")
    p.add_argument("--signature", metavar="FILE", help="where to write (default: DB.sig)")
    _common(p, root=False)

    p = sub.add_parser("keygen", help="create an Ed25519 key pair for signing baselines")
    p.add_argument("--private", required=True, metavar="FILE", help="private key to create")
    p.add_argument("--public", required=True, metavar="FILE", help="public key to create")
    _common(p, root=False)

    p = sub.add_parser("show", help="describe the baseline, a path's record, the audit trail")
    p.add_argument("--path", metavar="PATH", help="show the record of this host path")
    p.add_argument("--audit", action="store_true", help="list the audit trail")
    _common(p, root=False)


def _config(args: argparse.Namespace) -> Any:
    from sscguard.config import parse_size

    if getattr(args, "jobs", None) is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    extra: dict[str, Any] = {
        "jobs": getattr(args, "jobs", None),
        "rules": tuple(args.rules) if getattr(args, "rules", None) else None,
        "max_file_size": parse_size(args.max_file_size)
        if getattr(args, "max_file_size", None)
        else None,
    }
    return config_from(args, extra)


def _root(args: argparse.Namespace) -> str:
    root = os.path.abspath(str(args.root))
    if not os.path.isdir(root):
        raise UsageError(f"--root {args.root} is not a directory")
    return root


def run(args: argparse.Namespace) -> int:
    action = getattr(args, "baseline_action", None)
    if action is None:
        raise UsageError("choose an action: init, verify, accept, watch, sign, keygen or show")
    db = args.db or default_db()
    handler = {
        "init": _init,
        "verify": _verify,
        "accept": _accept,
        "watch": _watch,
        "sign": _sign,
        "keygen": _keygen,
        "show": _show,
    }[action]
    return handler(args, db)


def _say(args: argparse.Namespace, text: str) -> None:
    if not getattr(args, "quiet", False):
        print(f"sscguard: {text}", file=sys.stderr)


def _init(args: argparse.Namespace, db: str) -> int:
    from sscguard.baseline import engine
    from sscguard.baseline.locations import default_locations, explicit_locations

    root = _root(args)
    cfg = _config(args)
    defaults = default_locations(root)
    locations = [] if args.no_default_locations else list(defaults)
    locations += explicit_locations(root, args.path, defaults)
    if not locations:
        raise UsageError("no component locations: name some with --path")
    doc = engine.init(root, db, locations, cfg, command=command_line())
    _say(
        args,
        f"baseline {db}: {doc.stats.get('entries', 0)} entries in "
        f"{doc.stats.get('duration_s', 0)} s; sign it with: sscguard baseline sign --key KEY",
    )
    return emit(doc, cfg)


def _verify(args: argparse.Namespace, db: str) -> int:
    from sscguard.baseline import engine

    try:
        sample = engine.parse_sample(args.sample)
    except ValueError as exc:
        raise UsageError(f"--sample {args.sample}: {exc}") from None
    cfg = _config(args)
    doc = engine.verify(
        _root(args),
        db,
        cfg,
        sample=sample,
        full=args.full,
        pubkey=args.pubkey,
        signature=args.signature,
        command=command_line(),
    )
    return emit(doc, cfg)


def _accept(args: argparse.Namespace, db: str) -> int:
    from sscguard.baseline import engine

    if not args.paths and not args.all:
        raise UsageError("name the PATHs to accept, or --all")
    if args.paths and args.all:
        raise UsageError("give PATHs or --all, not both")
    if not args.reason.strip():
        raise UsageError("--reason must say why the change is approved")
    cfg = _config(args)
    result = engine.accept(_root(args), db, args.paths, args.reason, cfg, accept_all=args.all)
    for action, path in result.entries:
        print(f"accepted {action}: {path}")
    _say(
        args,
        f"{result.accepted} change(s) accepted into {db}"
        + ("; re-sign it: sscguard baseline sign --key KEY" if result.accepted else ""),
    )
    return EXIT_CLEAN


def _watch(args: argparse.Namespace, db: str) -> int:
    import contextlib
    import json
    import signal
    import socket
    import threading

    from sscguard.baseline.engine import now_iso, open_baseline
    from sscguard.baseline.watch import Watcher

    cfg = _config(args)
    if args.settle < 0 or args.settle > 10:
        raise UsageError("--settle is between 0 and 10 seconds")
    root = _root(args)
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        del frame
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    lock = threading.Lock()
    closer = contextlib.ExitStack()
    out: TextIO = sys.stdout
    if cfg.output not in (None, "-"):
        out = closer.enter_context(open(cfg.output, "a", encoding="utf-8"))  # noqa: SIM115
    host = socket.gethostname()

    def emit_line(data: dict[str, Any]) -> None:
        line = json.dumps({**data, "time": now_iso(), "host": host}, ensure_ascii=True)
        with lock:
            out.write(line + "\n")
            out.flush()

    try:
        with open_baseline(db, args.pubkey, args.signature) as reader:
            watcher = Watcher(root, reader, cfg, emit_line, settle=args.settle)
            watcher.run(stop, initial_verify=not args.no_initial_verify)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        closer.close()
    return EXIT_CLEAN


def _sign(args: argparse.Namespace, db: str) -> int:
    from sscguard.baseline.sign import sign

    target = args.signature or db + ".sig"
    doc = sign(db, args.key, target)
    _say(args, f"signed {db}: {target} (key id {doc['key_id']}, {doc['digest']})")
    return EXIT_CLEAN


def _keygen(args: argparse.Namespace, db: str) -> int:
    from sscguard.baseline.sign import generate_keypair

    del db
    try:
        key_id = generate_keypair(args.private, args.public)
    except FileExistsError:
        raise UsageError(f"{args.private} exists; not overwriting a private key") from None
    _say(
        args,
        f"key pair written: {args.private} (keep it off the host), {args.public}; key id {key_id}",
    )
    return EXIT_CLEAN


def _show(args: argparse.Namespace, db: str) -> int:
    import json

    from sscguard.baseline.show import describe

    info = describe(db, path=args.path, audit=args.audit)
    if getattr(args, "format", "table") in ("json", "jsonl"):
        print(json.dumps(info, indent=2, ensure_ascii=True))
    else:
        from sscguard.baseline.show import render_text

        sys.stdout.write(render_text(info))
    return EXIT_CLEAN
