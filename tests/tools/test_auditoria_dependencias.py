"""The CI's reading of pip-audit's report: a fixable vulnerability or an unchecked package fails the build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools.auditoria_dependencias import main


def _report(tmp_path: Path, *dependencies: dict[str, object]) -> str:
    path = tmp_path / "auditoria.json"
    path.write_text(json.dumps({"dependencies": list(dependencies), "fixes": []}), encoding="utf-8")
    return str(path)


def test_a_vulnerability_with_a_fixed_version_fails_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vuln = {"id": "GHSA-xxxx", "fix_versions": ["3.1.7"], "aliases": [], "description": "x"}
    report = _report(tmp_path, {"name": "jinja2", "version": "3.1.6", "vulns": [vuln]})
    assert main([report]) == 1
    assert "FALLA jinja2 3.1.6: GHSA-xxxx, corregida en 3.1.7" in capsys.readouterr().out


def test_a_vulnerability_without_a_fix_is_reported_and_the_build_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vuln = {"id": "PYSEC-1", "fix_versions": [], "aliases": [], "description": "x"}
    report = _report(tmp_path, {"name": "ecdsa", "version": "0.19.1", "vulns": [vuln]})
    assert main([report]) == 0
    assert "AVISO ecdsa 0.19.1: PYSEC-1, aún sin versión corregida" in capsys.readouterr().out


def test_a_package_that_could_not_be_checked_fails_a_strict_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDITORIA_ESTRICTA", "1")
    report = _report(tmp_path, {"name": "uvicorn", "skip_reason": "Dependency not found on PyPI"})
    assert main([report]) == 1
    assert "FALLA no se pudo revisar uvicorn: Dependency not found on PyPI" in capsys.readouterr().out


def test_a_package_that_could_not_be_checked_is_reported_unchecked_never_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AUDITORIA_ESTRICTA", raising=False)
    report = _report(tmp_path, {"name": "uvicorn", "skip_reason": "Dependency not found on PyPI"})
    assert main([report]) == 0
    salida = capsys.readouterr().out
    assert "AVISO no se pudo revisar uvicorn" in salida and "SIN REVISAR" in salida
    assert "ninguna vulnerabilidad" not in salida


def test_a_clean_report_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([_report(tmp_path, {"name": "httpx", "version": "0.28.1", "vulns": []})]) == 0
    assert "ninguna vulnerabilidad" in capsys.readouterr().out


def test_no_report_at_all_is_unchecked_and_fails_only_a_strict_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    falta = str(tmp_path / "no-existe.json")
    monkeypatch.delenv("AUDITORIA_ESTRICTA", raising=False)
    assert main([falta]) == 0
    assert "SIN REVISAR" in capsys.readouterr().out
    monkeypatch.setenv("AUDITORIA_ESTRICTA", "1")
    assert main([falta]) == 1
