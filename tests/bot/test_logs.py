"""Identifiers never reach the logs in full."""

from __future__ import annotations

import logging

import pytest

from bot.logs import MaskingFilter, configure_logging, mask_identifiers


def test_curp_nss_and_rfc_are_masked() -> None:
    masked = mask_identifiers("curp XIQB891116MGRMZR05 nss 72795608040 rfc XIQB891116QE4 ok")
    assert "XIQB891116MGRMZR05" not in masked
    assert "72795608040" not in masked
    assert "XIQB891116QE4" not in masked
    assert masked.startswith("curp XIQB") and masked.endswith(" ok")


def test_handler_output_is_masked(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging()
    try:
        logging.getLogger("bot.prueba").warning("Consulta de %s", "XIQB891116MGRMZR05")
        err = capsys.readouterr().err
        assert "Consulta de XIQB" in err and "XIQB891116MGRMZR05" not in err
    finally:
        logging.getLogger().handlers.clear()


def test_filter_keeps_other_text() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "turno %d listo", (3,), None)
    MaskingFilter().filter(record)
    assert record.getMessage() == "turno 3 listo"


def test_exception_text_is_masked_too(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging()
    try:
        try:
            raise ValueError("CURP XIQB891116MGRMZR05 sin registro")
        except ValueError:
            logging.getLogger("bot.prueba").exception("Falló un turno")
        err = capsys.readouterr().err
        assert "Falló un turno" in err and "ValueError: CURP XIQB" in err
        assert "XIQB891116MGRMZR05" not in err
    finally:
        logging.getLogger().handlers.clear()
