"""Institution keys: development pair on first run, configured pair, sello digital."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from tramites.documentos import ClavesInstitucion, ClavesInvalidas


def test_genera_clave_de_desarrollo_la_primera_vez(tmp_path: Path) -> None:
    claves = ClavesInstitucion.cargar_o_generar(tmp_path / "claves")
    key, cert = tmp_path / "claves" / "sello_key.pem", tmp_path / "claves" / "sello_cert.pem"
    assert key.exists() and cert.exists()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    certificado = x509.load_pem_x509_certificate(cert.read_bytes())
    cn = certificado.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert cn == "IMSS Digital (desarrollo)"
    assert claves.nombre == "IMSS Digital (desarrollo)"


def test_la_segunda_vez_reutiliza_la_misma_clave(tmp_path: Path) -> None:
    primera = ClavesInstitucion.cargar_o_generar(tmp_path)
    segunda = ClavesInstitucion.cargar_o_generar(tmp_path)
    assert primera.huella == segunda.huella
    assert segunda.verificar_sello("||x||", primera.sellar("||x||"))


def test_clave_y_certificado_configurados(tmp_path: Path, claves: ClavesInstitucion) -> None:
    key, cert = tmp_path / "inst.key", tmp_path / "inst.cer"
    key.write_bytes(claves.clave_privada.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()))
    cert.write_bytes(claves.certificado.public_bytes(serialization.Encoding.DER))  # DER works too
    cargadas = ClavesInstitucion.cargar_o_generar(tmp_path / "no_se_usa", key, cert)
    assert cargadas.huella == claves.huella
    assert not (tmp_path / "no_se_usa" / "sello_key.pem").exists()


def test_certificado_de_otra_clave_se_rechaza(tmp_path: Path, claves: ClavesInstitucion,
                                              claves_ajenas: ClavesInstitucion) -> None:
    key, cert = tmp_path / "inst.key", tmp_path / "inst.pem"
    key.write_bytes(claves.clave_privada.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    cert.write_bytes(claves_ajenas.certificado.public_bytes(serialization.Encoding.PEM))
    with pytest.raises(ClavesInvalidas) as e:
        ClavesInstitucion.cargar_o_generar(tmp_path, key, cert)
    assert "no corresponde" in e.value.mensaje


def test_configurar_solo_una_ruta_se_rechaza(tmp_path: Path) -> None:
    with pytest.raises(ClavesInvalidas) as e:
        ClavesInstitucion.cargar_o_generar(tmp_path, tmp_path / "k.pem", None)
    assert "SELLO_KEY_PATH" in e.value.mensaje and "SELLO_CERT_PATH" in e.value.mensaje


def test_clave_ilegible(tmp_path: Path) -> None:
    (tmp_path / "k.pem").write_text("no soy una clave")
    (tmp_path / "c.pem").write_text("ni yo un certificado")
    with pytest.raises(ClavesInvalidas):
        ClavesInstitucion.cargar_o_generar(tmp_path, tmp_path / "k.pem", tmp_path / "c.pem")


def test_certificado_sin_clave_no_se_sobrescribe(tmp_path: Path) -> None:
    ClavesInstitucion.cargar_o_generar(tmp_path)
    (tmp_path / "sello_key.pem").unlink()
    with pytest.raises(ClavesInvalidas):
        ClavesInstitucion.cargar_o_generar(tmp_path)


def test_sello_verifica_y_falla_si_cambia_un_caracter(claves: ClavesInstitucion,
                                                      claves_ajenas: ClavesInstitucion) -> None:
    cadena = "||1|comprobante_nss|IMSS-20260115-ABCDEFGH|2026-01-15T10:30:05-06:00|T|NSS=72795608040||"
    sello = claves.sellar(cadena)
    assert claves.verificar_sello(cadena, sello)
    assert not claves.verificar_sello(cadena.replace("72795608040", "72795608041"), sello)
    otro = ("A" if sello[10] != "A" else "B")
    assert not claves.verificar_sello(cadena, sello[:10] + otro + sello[11:])
    assert not claves.verificar_sello(cadena, "no es base64!")
    assert not claves_ajenas.verificar_sello(cadena, sello)
