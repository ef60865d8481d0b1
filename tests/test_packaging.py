"""The wheel carries the knowledge base and catalogs, so the defaults work when installed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bot import paths

ROOT = Path(__file__).resolve().parent.parent


def test_bundled_prefers_the_packaged_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "bot"
    (package / "_bundled" / "knowledge").mkdir(parents=True)
    monkeypatch.setattr(paths, "_PACKAGE", package)
    assert paths.bundled("knowledge") == package / "_bundled" / "knowledge"
    assert paths.bundled("locales") == tmp_path / "locales"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built as a wheel, as ``pip install .`` (and the Dockerfile) builds it."""
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    return next(out.glob("adal_bot-*.whl"))


def test_wheel_contains_knowledge_and_locales(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "bot/_bundled/knowledge/topics.yaml" in names
    assert any(n.startswith("bot/_bundled/knowledge/notices/") for n in names)
    for lang in ("kk", "ru", "en"):
        assert f"bot/_bundled/locales/{lang}/LC_MESSAGES/adal.po" in names
    assert any(n.startswith("adal_bot-") and n.endswith("entry_points.txt") for n in names)


def test_installed_wheel_uses_its_bundled_knowledge_and_catalogs(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)  # a pure-Python wheel installs by unpacking
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADAL_", "TELEGRAM_"))} | {
        "PYTHONPATH": str(site),
        "ADAL_DB": str(tmp_path / "adal.db"),
        "LANG": "kk_KZ.UTF-8",
    }

    def adal_bot(*args: str, stdin: str = "") -> str:
        done = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            input=stdin,
            text=True,
            capture_output=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert f"in {site / 'bot' / '_bundled' / 'knowledge'}" in adal_bot("kb", "check")
    assert "Тілді таңдаңыз:" in adal_bot("chat", stdin="/language\n")
