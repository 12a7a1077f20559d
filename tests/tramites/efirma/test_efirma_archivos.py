"""Sniffing uploads (certificate or key, size first), FIEL vs CSD, and opening keys with the password."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from tests.efirma_factory import CaPrueba, con_iteraciones, crear_csd, crear_fiel
from tramites.efirma import (
    LIMITE_BYTES,
    MAX_ITERACIONES_KDF,
    ArchivoDemasiadoGrande,
    ArchivoNoEsCertificado,
    ArchivoNoEsLlave,
    CertificadoSinRfc,
    ContrasenaIncorrecta,
    LlaveDerivacionExcesiva,
    LlaveNoCorresponde,
    LlaveSinCifrar,
    NoEsFiel,
    abrir_llave,
    clasificar_archivo,
    exigir_fiel,
    leer_certificado,
    llave_corresponde,
    tipo_certificado,
    verificar_par,
)

PARES = {
    "phpcfdi_FIEL_AAA010101AAA/certificate.cer": "phpcfdi_FIEL_AAA010101AAA/private_key.key",
    "phpcfdi_CSD01_AAA010101AAA/certificate.cer": "phpcfdi_CSD01_AAA010101AAA/private_key.key",
    "satcfdi/eku9003173c9.cer": "satcfdi/eku9003173c9.key",
    "satcfdi/eku9003173c9_csd.cer": "satcfdi/eku9003173c9_csd.key",
    "satcfdi/xiqb891116qe4.cer": "satcfdi/xiqb891116qe4.key",
    "satcfdi/xiqb891116qe4_csd.cer": "satcfdi/xiqb891116qe4_csd.key",
    "satcfdi/cacx7605101p8.cer": "satcfdi/cacx7605101p8.key",
    "satcfdi/emisor2021.cer": "satcfdi/emisor2021.key",
}
MENSAJE_CONTRASENA = (
    "La contraseña de tu llave privada no es correcta. Revisa mayúsculas y minúsculas e inténtalo de nuevo."
)
MENSAJE_NO_ES_FIEL = (
    "Subiste un Certificado de Sello Digital (CSD). Para este trámite necesito tu e.firma (FIEL), "
    "que es otra."
)
MENSAJE_NO_CORRESPONDE = (
    "La llave privada (.key) no corresponde a tu certificado (.cer). "
    "Sube la llave que el SAT te dio junto con ese certificado."
)

# --------------------------------------------------------------------------------- clasificar_archivo


@pytest.mark.parametrize("cer", sorted(PARES))
def test_clasifica_cada_cer_y_key_del_sat(cer: str, leer_fixture: Callable[[str], bytes]) -> None:
    assert clasificar_archivo("mi_efirma.cer", leer_fixture(cer)) == "certificado"
    assert clasificar_archivo("mi_efirma.key", leer_fixture(PARES[cer])) == "llave"


def test_el_contenido_manda_sobre_la_extension(leer_fixture: Callable[[str], bytes]) -> None:
    assert clasificar_archivo("certificado.cer", leer_fixture("satcfdi/xiqb891116qe4.key")) == "llave"
    assert clasificar_archivo("llave.key", leer_fixture("satcfdi/xiqb891116qe4.cer")) == "certificado"
    assert clasificar_archivo("sin_extension", leer_fixture("satcfdi/xiqb891116qe4.cer")) == "certificado"


def test_clasifica_pem(leer_fixture: Callable[[str], bytes], password_fixtures: str) -> None:
    cert = x509.load_der_x509_certificate(leer_fixture("satcfdi/xiqb891116qe4.cer"))
    llave = abrir_llave(leer_fixture("satcfdi/xiqb891116qe4.key"), password_fixtures)
    llave_pem = llave.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"otra"),
    )
    assert clasificar_archivo("a.pem", cert.public_bytes(serialization.Encoding.PEM)) == "certificado"
    assert clasificar_archivo("a.pem", llave_pem) == "llave"


def test_tamano_se_revisa_antes_de_leer() -> None:
    # Junk bigger than the limit must be rejected for its size, not for its content.
    with pytest.raises(ArchivoDemasiadoGrande) as error:
        clasificar_archivo("grande.cer", b"\x00" * (LIMITE_BYTES + 1))
    assert "64 KB" in error.value.mensaje
    with pytest.raises(ArchivoNoEsCertificado):
        clasificar_archivo("justo.cer", b"\x00" * LIMITE_BYTES)


def test_certificado_valido_pero_inflado_es_demasiado_grande(leer_fixture: Callable[[str], bytes]) -> None:
    pem = x509.load_der_x509_certificate(leer_fixture("satcfdi/xiqb891116qe4.cer")).public_bytes(
        serialization.Encoding.PEM
    )
    with pytest.raises(ArchivoDemasiadoGrande):
        clasificar_archivo("relleno.pem", pem + b"\n" * LIMITE_BYTES)
    with pytest.raises(ArchivoDemasiadoGrande):
        leer_certificado(pem + b"\n" * LIMITE_BYTES)


@pytest.mark.parametrize(
    ("nombre", "data", "error"),
    [
        ("foto.cer", b"\xff\xd8\xff\xe0\x00\x10JFIF", ArchivoNoEsCertificado),
        ("documento.cer", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", ArchivoNoEsCertificado),
        ("vacio.cer", b"", ArchivoNoEsCertificado),
        ("vacio.key", b"", ArchivoNoEsLlave),
        ("notas.key", "mi contraseña es 12345678a".encode(), ArchivoNoEsLlave),
        ("LLAVE.KEY", b"0\x03\x02\x01\x00", ArchivoNoEsLlave),
        (
            "pem_roto.cer",
            b"-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n",
            ArchivoNoEsCertificado,
        ),
    ],
)
def test_archivos_que_no_son_efirma(nombre: str, data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error) as capturado:
        clasificar_archivo(nombre, data)
    assert capturado.value.mensaje  # type: ignore[attr-defined]


def test_llave_sin_cifrar_se_rechaza(leer_fixture: Callable[[str], bytes], password_fixtures: str) -> None:
    llave = abrir_llave(leer_fixture("satcfdi/cacx7605101p8.key"), password_fixtures)
    for formato, codificacion in [
        (serialization.PrivateFormat.PKCS8, serialization.Encoding.DER),
        (serialization.PrivateFormat.PKCS8, serialization.Encoding.PEM),
        (serialization.PrivateFormat.TraditionalOpenSSL, serialization.Encoding.DER),
        (serialization.PrivateFormat.TraditionalOpenSSL, serialization.Encoding.PEM),
    ]:
        claro = llave.private_bytes(codificacion, formato, serialization.NoEncryption())
        with pytest.raises(LlaveSinCifrar) as error:
            clasificar_archivo("llave.key", claro)
        assert "contraseña" in error.value.mensaje
        with pytest.raises(LlaveSinCifrar):
            abrir_llave(claro, "lo que sea")


# ------------------------------------------------------------------------------------------ FIEL / CSD


@pytest.mark.parametrize(
    ("cer", "tipo"),
    [
        ("phpcfdi_FIEL_AAA010101AAA/certificate.cer", "FIEL"),
        ("phpcfdi_CSD01_AAA010101AAA/certificate.cer", "CSD"),
        ("satcfdi/eku9003173c9.cer", "FIEL"),
        ("satcfdi/eku9003173c9_csd.cer", "CSD"),
        ("satcfdi/xiqb891116qe4.cer", "FIEL"),
        ("satcfdi/xiqb891116qe4_csd.cer", "CSD"),
        ("satcfdi/cacx7605101p8.cer", "FIEL"),
        ("satcfdi/emisor2021.cer", "CSD"),
    ],
)
def test_fiel_o_csd(cer: str, tipo: str, leer_fixture: Callable[[str], bytes]) -> None:
    assert leer_certificado(leer_fixture(cer)).tipo == tipo


@pytest.mark.parametrize(
    "cer",
    ["phpcfdi_CSD01_AAA010101AAA/certificate.cer", "satcfdi/xiqb891116qe4_csd.cer", "satcfdi/emisor2021.cer"],
)
def test_un_csd_no_sirve_como_efirma(cer: str, leer_fixture: Callable[[str], bytes]) -> None:
    with pytest.raises(NoEsFiel) as error:
        exigir_fiel(leer_certificado(leer_fixture(cer)))
    assert error.value.mensaje == MENSAJE_NO_ES_FIEL


def test_emisor2021_es_el_csd01_refirmado(
    leer_fixture: Callable[[str], bytes], password_fixtures: str
) -> None:
    # Why emisor2021 is classified as CSD: same serial and same key pair as SAT's CSD01_AAA010101AAA.
    emisor2021 = leer_certificado(leer_fixture("satcfdi/emisor2021.cer"))
    csd01 = leer_certificado(leer_fixture("phpcfdi_CSD01_AAA010101AAA/certificate.cer"))
    assert emisor2021.numero_certificado == csd01.numero_certificado
    assert emisor2021.sucursal is None
    llave_csd01 = abrir_llave(leer_fixture("phpcfdi_CSD01_AAA010101AAA/private_key.key"), password_fixtures)
    assert llave_corresponde(emisor2021, llave_csd01)


def test_fabrica_produce_fiel_y_csd(
    fiel_fisica: tuple[bytes, bytes, str], csd_fisica: tuple[bytes, bytes, str]
) -> None:
    assert leer_certificado(fiel_fisica[0]).tipo == "FIEL"
    csd = leer_certificado(csd_fisica[0])
    assert csd.tipo == "CSD"
    assert csd.sucursal == "Matriz"


def _hoja_a_mano(extensiones: list[x509.ExtensionType], ou: bool = False) -> x509.Certificate:
    llave = ec.generate_private_key(ec.SECP256R1())
    atributos = [
        x509.NameAttribute(NameOID.COMMON_NAME, "PRUEBA"),
        x509.NameAttribute(ObjectIdentifier("2.5.4.45"), "XIQB891116QE4"),
    ]
    if ou:
        atributos.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Sucursal"))
    ahora = datetime.now(UTC)
    constructor = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(atributos))
        .issuer_name(x509.Name(atributos))
        .public_key(llave.public_key())
        .serial_number(1)
        .not_valid_before(ahora)
        .not_valid_after(ahora + timedelta(days=1))
    )
    for extension in extensiones:
        constructor = constructor.add_extension(extension, critical=False)
    return constructor.sign(llave, hashes.SHA256())


def _uso(**activos: bool) -> x509.KeyUsage:
    campos = dict.fromkeys(
        [
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ],
        False,
    )
    campos.update(activos)
    return x509.KeyUsage(**campos)


def test_regla_fiel_csd_en_casos_limite() -> None:
    eku = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH])
    firma = _uso(digital_signature=True, content_commitment=True)
    assert tipo_certificado(_hoja_a_mano([firma, eku])) == "FIEL"
    assert tipo_certificado(_hoja_a_mano([_uso(digital_signature=True, key_agreement=True)])) == "FIEL"
    assert tipo_certificado(_hoja_a_mano([_uso(digital_signature=True, data_encipherment=True)])) == "FIEL"
    # emisor2021's shape: no OU, signature-only key usage, no EKU.
    assert tipo_certificado(_hoja_a_mano([firma])) == "CSD"
    assert tipo_certificado(_hoja_a_mano([])) == "CSD"
    # An OU always means a branch, i.e. a CSD, whatever the key usages say.
    assert tipo_certificado(_hoja_a_mano([_uso(key_agreement=True), eku], ou=True)) == "CSD"


def test_certificado_sin_rfc_no_es_efirma() -> None:
    llave = ec.generate_private_key(ec.SECP256R1())
    nombre = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "www.ejemplo.mx")])
    ahora = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(nombre)
        .issuer_name(nombre)
        .public_key(llave.public_key())
        .serial_number(7)
        .not_valid_before(ahora)
        .not_valid_after(ahora + timedelta(days=1))
        .sign(llave, hashes.SHA256())
    )
    with pytest.raises(CertificadoSinRfc) as error:
        leer_certificado(cert.public_bytes(serialization.Encoding.DER))
    assert isinstance(error.value, ArchivoNoEsCertificado)
    assert "RFC" in error.value.mensaje


def test_fabrica_persona_moral(fiel_moral: tuple[bytes, bytes, str]) -> None:
    cert = leer_certificado(fiel_moral[0])
    assert (cert.rfc, cert.curp, cert.persona) == ("EKU9003173C9", None, "moral")
    assert (cert.rfc_representante, cert.curp_representante) == ("XIQB891116QE4", "XIQB891116MGRMZR05")
    assert len(cert.numero_certificado) == 20 and cert.numero_certificado.isdigit()


def test_fabrica_numero_sat(ca: CaPrueba) -> None:
    cer, _, _ = crear_csd(ca, "CACX7605101P8", "CACX760510MGTSHC04", "XOCHILT", numero="30001000000500003416")
    assert leer_certificado(cer).numero_certificado == "30001000000500003416"


# ---------------------------------------------------------------------------------------- llaves


@pytest.mark.parametrize("cer", sorted(PARES))
def test_contrasena_correcta_abre_y_la_llave_es_del_certificado(
    cer: str, leer_fixture: Callable[[str], bytes], password_fixtures: str
) -> None:
    llave = abrir_llave(leer_fixture(PARES[cer]), password_fixtures)
    assert isinstance(llave, rsa.RSAPrivateKey)
    verificar_par(leer_certificado(leer_fixture(cer)), llave)


@pytest.mark.parametrize("contrasena", ["12345678A", "12345678a ", "", "contraseña"])
def test_contrasena_incorrecta(contrasena: str, leer_fixture: Callable[[str], bytes]) -> None:
    with pytest.raises(ContrasenaIncorrecta) as error:
        abrir_llave(leer_fixture("satcfdi/xiqb891116qe4.key"), contrasena)
    assert error.value.mensaje == MENSAJE_CONTRASENA


def test_llave_de_otro_certificado(leer_fixture: Callable[[str], bytes], password_fixtures: str) -> None:
    otra = abrir_llave(leer_fixture("satcfdi/cacx7605101p8.key"), password_fixtures)
    cert = leer_certificado(leer_fixture("satcfdi/xiqb891116qe4.cer"))
    assert not llave_corresponde(cert, otra)
    with pytest.raises(LlaveNoCorresponde) as error:
        verificar_par(cert, otra)
    assert error.value.mensaje == MENSAJE_NO_CORRESPONDE


def test_llave_pem_pkcs8_y_pem_tradicional_cifradas(
    leer_fixture: Callable[[str], bytes], password_fixtures: str
) -> None:
    llave = abrir_llave(leer_fixture("satcfdi/xiqb891116qe4.key"), password_fixtures)
    cert = leer_certificado(leer_fixture("satcfdi/xiqb891116qe4.cer"))
    for formato in (serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL):
        pem = llave.private_bytes(
            serialization.Encoding.PEM, formato, serialization.BestAvailableEncryption(b"Otra Clave")
        )
        assert clasificar_archivo("llave.pem", pem) == "llave"
        verificar_par(cert, abrir_llave(pem, "Otra Clave"))
        with pytest.raises(ContrasenaIncorrecta):
            abrir_llave(pem, "otra clave")


def test_llave_de_fabrica_con_contrasena_no_ascii(ca: CaPrueba) -> None:
    cer, key, password = crear_fiel(
        ca, "CACX7605101P8", "CACX760510MGTSHC04", "XÓCHITL", password="Señal ñandú"
    )
    verificar_par(leer_certificado(cer), abrir_llave(key, password))


def test_certificado_en_lugar_de_llave(leer_fixture: Callable[[str], bytes]) -> None:
    with pytest.raises(ArchivoNoEsLlave):
        abrir_llave(leer_fixture("satcfdi/xiqb891116qe4.cer"), "12345678a")


# DER helpers to craft hostile EncryptedPrivateKeyInfo envelopes.
def _tlv(tag: int, contenido: bytes) -> bytes:
    n = len(contenido)
    if n < 0x80:
        return bytes([tag, n]) + contenido
    largo = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(largo)]) + largo + contenido


def _oid(der_contenido: str) -> bytes:
    return _tlv(0x06, bytes.fromhex(der_contenido))


PBES2 = "2a864886f70d01050d"
PBKDF2 = "2a864886f70d01050c"
DES_EDE3_CBC = "2a864886f70d0307"
SCRYPT = "2b06010401da470b"


def _envoltura(kdf: bytes) -> bytes:
    cifrado = _tlv(0x30, _oid(DES_EDE3_CBC) + _tlv(0x04, b"\x01" * 8))
    algoritmo = _tlv(0x30, _oid(PBES2) + _tlv(0x30, kdf + cifrado))
    return _tlv(0x30, algoritmo + _tlv(0x04, b"\x02" * 1224))


def _sin_derivar(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any key derivation fail the test: the refusal must come from reading the DER alone."""

    def derivar(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the key was decrypted")

    monkeypatch.setattr(serialization, "load_der_private_key", derivar)


def test_llave_que_pide_miles_de_millones_de_iteraciones_se_rechaza_al_subirla_sin_derivar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _sin_derivar(monkeypatch)
    iteraciones = _tlv(0x02, (2**31 - 1).to_bytes(4, "big"))
    hostil = _envoltura(_tlv(0x30, _oid(PBKDF2) + _tlv(0x30, _tlv(0x04, b"sal12345") + iteraciones)))
    with pytest.raises(LlaveDerivacionExcesiva) as error:
        clasificar_archivo("llave.key", hostil)
    assert "cifrado de una forma que el SAT no usa" in error.value.mensaje
    with pytest.raises(LlaveDerivacionExcesiva):
        abrir_llave(hostil, "12345678a")


@pytest.mark.parametrize(("iteraciones", "aceptada"), [(2048, True), (MAX_ITERACIONES_KDF, True),
                                                       (MAX_ITERACIONES_KDF + 1, False), (10**9, False)])
def test_llave_del_sat_con_mas_iteraciones_de_pbkdf2_que_el_limite_se_rechaza_al_subirla(
    iteraciones: int, aceptada: bool, leer_fixture: Callable[[str], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    llave = con_iteraciones(leer_fixture("satcfdi/xiqb891116qe4.key"), iteraciones)
    if aceptada:
        assert clasificar_archivo("llave.key", llave) == "llave"
        return
    _sin_derivar(monkeypatch)
    with pytest.raises(LlaveDerivacionExcesiva):
        clasificar_archivo("llave.key", llave)
    with pytest.raises(LlaveDerivacionExcesiva):
        abrir_llave(llave, "12345678a")


def test_llave_con_kdf_desconocido_se_rechaza() -> None:
    hostil = _envoltura(_tlv(0x30, _oid(SCRYPT) + _tlv(0x30, _tlv(0x04, b"sal") + _tlv(0x02, b"\x40\x00"))))
    with pytest.raises(ArchivoNoEsLlave):
        abrir_llave(hostil, "12345678a")


def test_envoltura_valida_con_basura_cifrada_es_contrasena_incorrecta() -> None:
    iteraciones = _tlv(0x02, (2048).to_bytes(2, "big"))
    envoltura = _envoltura(_tlv(0x30, _oid(PBKDF2) + _tlv(0x30, _tlv(0x04, b"sal12345") + iteraciones)))
    with pytest.raises(ContrasenaIncorrecta):
        abrir_llave(envoltura, "12345678a")


def test_llave_ec_no_es_llave_del_sat() -> None:
    llave = ec.generate_private_key(ec.SECP256R1())
    der = llave.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"x"),
    )
    with pytest.raises(ArchivoNoEsLlave):
        abrir_llave(der, "x")
