"""``sscguard report RESULT.json``: render a saved result document again."""

from __future__ import annotations

import argparse
import json

from sscguard.commands.common import config_from, emit

NAME = "report"
HELP = "re-render a saved JSON result in another format"
DESCRIPTION = "Load a result document written with --format json and render it again."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("result", metavar="RESULT.json")


def run(args: argparse.Namespace) -> int:
    from sscguard.errors import ReportError
    from sscguard.model import ResultDocument

    cfg = config_from(args)
    try:
        with open(args.result, encoding="utf-8") as handle:
            data = json.load(handle)
        doc = ResultDocument.from_dict(data)
    except OSError as exc:
        raise ReportError(f"cannot read {args.result}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReportError(f"{args.result}: {exc}") from None
    return emit(doc, cfg)
