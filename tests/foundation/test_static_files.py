"""Static files on the production path: collected as the image collects them, served hashed."""

import re
from pathlib import Path

from django.conf import settings
from django.test import Client

from tests.foundation.test_settings import PRODUCTION_ENV, manage

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
HASHED_CSS = re.compile(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"')


def listed_assets():
    """Return {(source under node_modules, folder under static/vendor)} from vendor-assets.txt."""
    rows = set()
    for line in (BASE_DIR / "vendor-assets.txt").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            source, folder, *_ = line.split()
            rows.add((source, folder))
    return rows


def test_collectstatic_as_the_image_runs_it_then_a_page_is_served_through_its_manifest(
    db, settings, tmp_path
):
    # The Dockerfile's step: DEBUG off, the default storage, the image's environment only.
    result = manage(
        "collectstatic",
        "--noinput",
        env_overrides={**PRODUCTION_ENV, "CCEE_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    root = tmp_path / "staticfiles"
    assert (root / "staticfiles.json").is_file()

    assert not settings.DEBUG
    settings.STATIC_ROOT = root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    browser = Client()  # its WhiteNoise reads the folder above
    login = browser.get("/accounts/login/")
    assert login.status_code == 200
    (css_url,) = set(HASHED_CSS.findall(login.content.decode()))
    css = browser.get(css_url)
    assert css.status_code == 200
    assert css["Content-Type"].startswith("text/css")
    assert "immutable" in css["Cache-Control"]
    assert b"Bootstrap" in b"".join(css.streaming_content)


def test_every_file_a_listed_asset_names_in_a_source_map_comment_is_listed_too():
    listed = listed_assets()
    reference = re.compile(rb"sourceMappingURL=([^\s*]+)")
    for source, folder in listed:
        if not source.endswith((".js", ".css")):
            continue
        path = BASE_DIR / "node_modules" / source
        for name in reference.findall(path.read_bytes()):
            named = f"{source.rsplit('/', 1)[0]}/{name.decode()}"
            assert (named, folder) in listed, f"{source} names {name.decode()}: list {named}"
