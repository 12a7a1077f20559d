"""Identifiers never reach the logs in full."""

from __future__ import annotations

import logging

import pytest

from bot.logs import MaskingFilter, configure_logging, mask_identifiers, mask_personal_data


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


def test_emails_phones_and_tokens_are_masked_in_log_text() -> None:
    token = "f_gCXH7DQThaREm7WDPOKOYUVcVvGhjO"
    link = "WyJ3ZWItYjEyZGI1ODRlNjJjZjg3MjZiNTE4ODJiYTRhYjk1NzliN2E4ZWMxYSJd.PthmJ7j_ScRTST976rR7jSr9LYRZ4R_E"
    text = (
        f"correo ana.lopez@correo.mx tel 55 1234 5678 cel +52 1 (33) 1234-5678 fijo 5512345678 "
        f"POST /api/webchat/{token}/messages GET /api/webchat/{token}/documentos/{link}"
    )
    masked = mask_personal_data(text)
    for secret in ("ana.lopez", "1234 5678", "1234-5678", "5512345678", token, link, link.split(".")[1]):
        assert secret not in masked, secret
    assert "a***@correo.mx" in masked and "55******78" in masked
    assert f"/api/webchat/{token[:4]}…/messages" in masked


def test_ids_hashes_addresses_and_times_stay_readable() -> None:
    text = (
        "turno de web-0123456789abcdef0123456789abcdef01234567 listo en 1234.5 ms; "
        "127.0.0.1:54321 2026-11-30 10:22:33 folio IMSS-20261129-VYJO2VJL"
    )
    assert mask_personal_data(text) == text


def test_uvicorn_access_and_error_lines_go_through_the_masked_handler(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging()
    try:
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/verificar/XIQB891116MGRMZR05", "1.1", 404
        )
        try:
            raise RuntimeError("fallo con ana.lopez@correo.mx")
        except RuntimeError:
            logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
        err = capsys.readouterr().err
        assert "GET /verificar/XIQB" in err and "XIQB891116MGRMZR05" not in err
        assert "RuntimeError: fallo con a***@correo.mx" in err and "ana.lopez" not in err
    finally:
        logging.getLogger().handlers.clear()
