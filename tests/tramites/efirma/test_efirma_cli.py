"""`asistente efirma inspeccionar` through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli.efirma import app
from tests.efirma_factory import FIXTURES_EFIRMA, PASSWORD_FIXTURES, CaPrueba

XIQB = FIXTURES_EFIRMA / "satcfdi" / "xiqb891116qe4"
runner = CliRunner()


def _json(args: list[str], entrada: str | None = None) -> dict[str, Any]:
    resultado = runner.invoke(app, ["inspeccionar", *args, "--json"], input=entrada)
    assert resultado.exit_code == 0, resultado.output
    datos: dict[str, Any] = json.loads(resultado.stdout)
    return datos


def test_json_de_persona_fisica() -> None:
    datos = _json([f"{XIQB}.cer", "--fecha", "2022-06-01"])
    assert datos["rfc"] == "XIQB891116QE4"
    assert datos["curp"] == "XIQB891116MGRMZR05"
    assert datos["nombre"] == "BERENICE XIMO QUEZADA"
    assert datos["tipo"] == "FIEL"
    assert datos["persona"] == "fisica"
    assert datos["numero_certificado"] == "30001000000400002311"
    assert datos["valido_desde"] == "2019-05-28T21:58:42+00:00"
    assert datos["valido_hasta"] == "2023-05-27T21:58:42+00:00"
    assert datos["emisor"] == "AC UAT, SERVICIO DE ADMINISTRACION TRIBUTARIA"
    assert datos["vigente"] is True
    assert "llave_corresponde" not in datos


def test_json_vencida_en_2024() -> None:
    assert _json([f"{XIQB}.cer", "--fecha", "2024-01-01"])["vigente"] is False


def test_json_de_persona_moral_y_csd() -> None:
    moral = _json([str(FIXTURES_EFIRMA / "satcfdi" / "eku9003173c9.cer"), "--fecha", "2022-06-01"])
    assert moral["persona"] == "moral"
    assert moral["rfc"] == "EKU9003173C9"
    assert moral["curp"] is None
    assert moral["rfc_representante"] == "XIQB891116QE4"
    assert moral["curp_representante"] == "XIQB891116MGRMZR05"
    csd = _json([str(FIXTURES_EFIRMA / "phpcfdi_CSD01_AAA010101AAA" / "certificate.cer")])
    assert csd["tipo"] == "CSD"
    assert csd["numero_certificado"] == "30001000000300023708"
    assert csd["emisor"] == "A.C. 2 de pruebas(4096), Servicio de Administración Tributaria"


def test_con_llave_y_contrasena_por_stdin() -> None:
    datos = _json(
        [f"{XIQB}.cer", "--key", f"{XIQB}.key", "--password-stdin"], entrada=PASSWORD_FIXTURES + "\n"
    )
    assert datos["llave_corresponde"] is True


def test_contrasena_por_stdin_con_fin_de_linea_windows() -> None:
    datos = _json(
        [f"{XIQB}.cer", "--key", f"{XIQB}.key", "--password-stdin"], entrada=PASSWORD_FIXTURES + "\r\n"
    )
    assert datos["llave_corresponde"] is True


def test_llave_de_otro_certificado() -> None:
    otra = FIXTURES_EFIRMA / "satcfdi" / "cacx7605101p8.key"
    datos = _json([f"{XIQB}.cer", "--key", str(otra), "--password-stdin"], entrada=PASSWORD_FIXTURES + "\n")
    assert datos["llave_corresponde"] is False


def test_contrasena_incorrecta_sale_con_error_y_no_la_repite() -> None:
    resultado = runner.invoke(
        app,
        ["inspeccionar", f"{XIQB}.cer", "--key", f"{XIQB}.key", "--password-stdin", "--json"],
        input="Clave-Equivocada-77\n",
    )
    assert resultado.exit_code == 1
    assert "La contraseña de tu llave privada no es correcta" in resultado.output
    assert "Clave-Equivocada-77" not in resultado.output
    assert resultado.stdout == ""


def test_contrasena_interactiva_oculta() -> None:
    resultado = runner.invoke(
        app, ["inspeccionar", f"{XIQB}.cer", "--key", f"{XIQB}.key", "--json"], input=PASSWORD_FIXTURES + "\n"
    )
    assert resultado.exit_code == 0, resultado.output
    assert PASSWORD_FIXTURES not in resultado.output
    assert '"llave_corresponde": true' in resultado.output


def test_tabla() -> None:
    resultado = runner.invoke(app, ["inspeccionar", f"{XIQB}.cer", "--fecha", "2022-06-01"])
    assert resultado.exit_code == 0, resultado.output
    for texto in (
        "XIQB891116QE4",
        "XIQB891116MGRMZR05",
        "Número de certificado",
        "30001000000400002311",
        "FIEL",
    ):
        assert texto in resultado.output
    assert "sí" in resultado.output


@pytest.mark.parametrize(
    ("preparar", "mensaje"),
    [
        ("basura", "no es el certificado"),
        ("no_existe", "No encontré el archivo"),
        ("fecha_mala", "AAAA-MM-DD"),
        ("grande", "64 KB"),
    ],
)
def test_errores_salen_con_1_y_mensaje(preparar: str, mensaje: str, tmp_path: Path) -> None:
    args = ["inspeccionar", f"{XIQB}.cer"]
    if preparar == "basura":
        (tmp_path / "x.cer").write_bytes(b"hola")
        args = ["inspeccionar", str(tmp_path / "x.cer")]
    elif preparar == "no_existe":
        args = ["inspeccionar", str(tmp_path / "nada.cer")]
    elif preparar == "fecha_mala":
        args += ["--fecha", "01/06/2022"]
    else:
        (tmp_path / "g.cer").write_bytes(b"\x30" * (70 * 1024))
        args = ["inspeccionar", str(tmp_path / "g.cer")]
    resultado = runner.invoke(app, args)
    assert resultado.exit_code == 1
    assert mensaje in resultado.output


def test_emisor_confiable_con_almacen(
    ca: CaPrueba, ca_dir: Path, fiel_fisica: tuple[bytes, bytes, str], tmp_path: Path
) -> None:
    cer = tmp_path / "fiel.cer"
    cer.write_bytes(fiel_fisica[0])
    assert _json([str(cer), "--ca-dir", str(ca_dir)])["emisor_confiable"] is True
    assert (
        _json([f"{XIQB}.cer", "--ca-dir", str(ca_dir), "--fecha", "2022-06-01"])["emisor_confiable"] is False
    )
    vacio = tmp_path / "vacio"
    vacio.mkdir()
    resultado = runner.invoke(app, ["inspeccionar", str(cer), "--ca-dir", str(vacio)])
    assert resultado.exit_code == 1
    assert "no puedo comprobar quién emitió tu e.firma" in resultado.output
    assert "EFIRMA_CA_DIR" in resultado.output
