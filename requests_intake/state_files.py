"""Reading a file the state publishes (the directory export, the assistance status) for a command.

The commands that import them share how a file is read: a missing one is refused, rows read are
reported as they go, and a malformed one is refused naming the line, before anything changes.
"""

from pathlib import Path

from django.core.management.base import CommandError


def read_state_file(command, path: str, *, decode, parse, errors: type[Exception], verbosity: int):
    """Return `parse(decode(bytes), progress=…)` of the file, or raise CommandError saying why."""
    file_path = Path(path)
    if not file_path.is_file():
        raise CommandError(f"{path}: no such file.")

    def progress(rows):
        if verbosity >= 1:
            command.stderr.write(f"  … {rows:,} rows read")

    try:
        return parse(decode(file_path.read_bytes()), progress=progress)
    except errors as error:
        raise CommandError(f"{path}: {error} Nothing was imported.") from None
