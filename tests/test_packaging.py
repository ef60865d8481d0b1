"""The wheel carries the knowledge base and catalogs, so the defaults work when installed."""

from __future__ import annotations

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


def test_wheel_contains_knowledge_and_locales(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stderr
    wheel = next(tmp_path.glob("adal_bot-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "bot/_bundled/knowledge/topics.yaml" in names
    for lang in ("kk", "ru", "en"):
        assert f"bot/_bundled/locales/{lang}/LC_MESSAGES/adal.po" in names
    assert any(n.startswith("adal_bot-") and n.endswith("entry_points.txt") for n in names)
