"""The seal of electronically signed agreements: `seal_pdf`, `check_seal`, the certificate.

pyHanko takes about half a second to import, so the engine (`contracts.seal_engine`) is imported
on first use rather than by every process that loads the contracts app; its names are reachable
from here as before.
"""


def __getattr__(name: str):
    if name.startswith("__"):  # the import machinery asks for __path__ and the like
        raise AttributeError(name)
    from . import seal_engine

    return getattr(seal_engine, name)
