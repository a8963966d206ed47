"""The seal of e-signed agreements: a PAdES signature (pyHanko) that shows any later change.

The portal seals the agreement PDF it stamped with the LEA's signature page, with the key and
certificate of settings.AGREEMENT_SEAL_KEY_FILE / AGREEMENT_SEAL_CERT_FILE. When they are not
configured, a self-signed pair is generated once under settings.AGREEMENT_SEAL_DIR (development
and tests); production configures its own. `check_seal` answers whether a document is intact
and sealed by that certificate: a changed byte, an appended revision or another certificate
fails it.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

SEAL_FIELD = "CCEEPortalSeal"
_GENERATED_KEY = "seal-key.pem"
_GENERATED_CERT = "seal-cert.pem"


@dataclass(frozen=True)
class SealCheck:
    valid: bool
    reason: str


def _generate_pair(folder: Path) -> tuple[Path, Path]:
    """Make the development key and self-signed certificate once; never replace existing ones."""
    key_path, cert_path = folder / _GENERATED_KEY, folder / _GENERATED_CERT
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "CCEE Assistance Portal (development seal)"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "CCEE Assistance Portal"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    # Written beside, then linked into place: a process that loses the race keeps the winner's.
    for target, content in ((key_path, key_pem), (cert_path, cert_pem)):
        handle, temporary = tempfile.mkstemp(dir=folder)
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, target)
        os.unlink(temporary)
    return key_path, cert_path


def seal_files() -> tuple[Path, Path, bytes | None]:
    """Return the key file, certificate file and passphrase that seal documents."""
    key, cert = settings.AGREEMENT_SEAL_KEY_FILE, settings.AGREEMENT_SEAL_CERT_FILE
    passphrase = settings.AGREEMENT_SEAL_KEY_PASSPHRASE.encode() or None
    if key and cert:
        return Path(key), Path(cert), passphrase
    key_path, cert_path = _generate_pair(Path(settings.AGREEMENT_SEAL_DIR))
    return key_path, cert_path, None


@lru_cache(maxsize=4)
def _signer(key: Path, cert: Path, passphrase: bytes | None, mtime: float) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load(str(key), str(cert), key_passphrase=passphrase)
    if signer is None:
        raise RuntimeError(f"The seal key {key} or certificate {cert} could not be read.")
    return signer


def _current_signer() -> signers.SimpleSigner:
    key, cert, passphrase = seal_files()
    return _signer(key, cert, passphrase, cert.stat().st_mtime)


def certificate() -> asn1_x509.Certificate:
    """The certificate documents are sealed with (and checked against)."""
    _, cert, _ = seal_files()
    data = cert.read_bytes()
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return asn1_x509.Certificate.load(data)


def certificate_sha256() -> str:
    return hashlib.sha256(certificate().dump()).hexdigest()


def seal_pdf(content: bytes, *, reason: str, location: str = "CCEE Assistance Portal") -> bytes:
    """Return the PDF with the portal's seal over every byte of it."""
    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD, reason=reason, location=location, md_algorithm="sha256"
    )
    out = signers.sign_pdf(writer, metadata, signer=_current_signer())
    return out.getvalue()


def check_seal(content: bytes) -> SealCheck:
    """Return whether the PDF carries the portal's seal, intact, covering the whole file."""
    try:
        reader = PdfFileReader(io.BytesIO(content))
        seals = [s for s in reader.embedded_signatures if s.field_name == SEAL_FIELD]
        if not seals:
            return SealCheck(False, "The document carries no seal of the portal.")
        context = ValidationContext(trust_roots=[certificate()], allow_fetching=False)
        status = validate_pdf_signature(seals[-1], context)
    except Exception as exc:  # a damaged file: pyHanko and its parsers raise many kinds
        return SealCheck(False, f"The document could not be read as a sealed PDF ({exc}).")
    if not status.intact:
        return SealCheck(False, "The document was changed after it was sealed.")
    if not status.valid or not status.trusted:
        return SealCheck(False, "The seal is not the portal's.")
    if status.coverage.name != "ENTIRE_FILE":
        return SealCheck(False, "The document was changed after it was sealed (content added).")
    return SealCheck(True, "Intact: sealed by the portal, unchanged since it was signed.")
