"""Print the eligibility determination for facts read as JSON from a file or standard input."""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand

from eligibility.rules import FactsError, evaluate

# Exit status for input the command cannot evaluate (the usual status for a usage error).
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """Input that cannot be evaluated; str() is the one line written to standard error."""


class Command(BaseCommand):
    help = (
        "Read one JSON object of facts, or a JSON array of them, from FILE ('-' for standard"
        " input) and print the determination (or an array of them, in the same order) as JSON."
    )
    # The rules need no database, URLs or other apps: evaluating facts should not depend on them.
    requires_system_checks = []
    # Lets tests pass a file-like object as standard input through call_command().
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="JSON file of facts, or - for stdin")

    def handle(self, *args, **options):
        try:
            text = self._read(options["file"], options.get("stdin") or sys.stdin)
            output = evaluate_json(text)
        except BadInput as error:
            # One plain line, no traceback: the person running this can fix the input.
            self.stderr.write(str(error), style_func=lambda line: line)
            sys.exit(EXIT_BAD_INPUT)
        self.stdout.write(json.dumps(output, indent=2, ensure_ascii=False))

    def _read(self, path: str, stdin) -> str:
        if path == "-":
            try:
                return stdin.read()
            except UnicodeDecodeError as error:
                raise BadInput(f"input: is not valid UTF-8 ({error.reason})") from error
        try:
            with open(path, encoding="utf-8") as handle:
                return handle.read()
        except UnicodeDecodeError as error:
            raise BadInput(f"{path}: is not valid UTF-8 ({error.reason})") from error
        except OSError as error:
            raise BadInput(f"{path}: cannot be read ({error.strerror})") from error


def evaluate_json(text: str) -> dict[str, Any] | list[dict[str, Any]]:
    """Return the determination(s) for JSON ``text``, raising BadInput on the first problem.

    Every element of an array is validated before anything is returned, so a bad element
    means no output at all rather than a partial array.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(
            f"input: is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from error
    if isinstance(data, dict):
        try:
            return evaluate(data).to_dict()
        except FactsError as error:
            raise BadInput(str(error)) from error
    if isinstance(data, list):
        results = []
        for index, item in enumerate(data):
            try:
                results.append(evaluate(item).to_dict())
            except FactsError as error:
                if error.field == "facts":
                    raise BadInput(f"[{index}]: {error.problem}") from error
                raise BadInput(f"[{index}].{error}") from error
        return results
    raise BadInput("input: must be a JSON object of facts or an array of them")
