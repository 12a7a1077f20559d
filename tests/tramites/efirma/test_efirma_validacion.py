"""The whole e.firma check and its steps: validity, identity, issuer chain, password, pair, revocation."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.efirma_factory import CaPrueba, crear_ca, crear_csd, crear_fiel
from tramites.efirma import (
    AlmacenConfianza,
    AlmacenConfianzaInvalido,
    AlmacenConfianzaNoConfigurado,
    ArchivoNoEsCertificado,
    ArchivoNoEsLlave,
    CertificadoAunNoValido,
    CertificadoRevocado,
    CertificadoVencido,
    ConfiguracionEfirmaInvalida,
    ContrasenaIncorrecta,
    EfirmaError,
    EmisorNoConfiable,
    EstadoRevocacion,
    IdentidadNoCoincide,
    LlaveNoCorresponde,
    NoEsFiel,
    RevocacionSinConexion,
    abrir_llave,
    firmar,
    leer_certificado,
    revisar_certificado,
    revisar_llave,
    validar_efirma,
    verificar_firma,
    verificar_identidad,
    verificar_vigencia,
)

SIN_CONEXION = RevocacionSinConexion()
MENSAJE_VENCIDO_XIQB = (
    "Tu e.firma venció el 27/05/2023. Renuévala en el portal del SAT (CertiSAT Web) "
    "o en una oficina del SAT y vuelve a intentarlo."
)
Leer = Callable[[str], bytes]


class RevocacionFija:
    """A revocation checker that answers a fixed state and remembers what it was asked."""

    def __init__(self, estado: EstadoRevocacion) -> None:
        self.respuesta = estado
        self.consultas: list[tuple[x509.Certificate, x509.Certificate]] = []

    def estado(self, cert: x509.Certificate, emisor: x509.Certificate) -> EstadoRevocacion:
        self.consultas.append((cert, emisor))
        return self.respuesta


# ------------------------------------------------------------------------------------- vigencia


@pytest.mark.parametrize(
    "cer", ["satcfdi/xiqb891116qe4.cer", "satcfdi/cacx7605101p8.cer", "satcfdi/eku9003173c9.cer"]
)
def test_fiel_satcfdi_vigente_en_2022_y_vencida_en_2024(
    cer: str, leer_fixture: Leer, ahora_valido: datetime, ahora_vencido: datetime
) -> None:
    cert = leer_certificado(leer_fixture(cer))
    verificar_vigencia(cert, ahora_valido)
    with pytest.raises(CertificadoVencido):
        verificar_vigencia(cert, ahora_vencido)


def test_mensaje_de_vencida_trae_la_fecha(leer_fixture: Leer, ahora_vencido: datetime) -> None:
    cert = leer_certificado(leer_fixture("satcfdi/xiqb891116qe4.cer"))
    with pytest.raises(CertificadoVencido) as error:
        verificar_vigencia(cert, ahora_vencido)
    assert error.value.mensaje == MENSAJE_VENCIDO_XIQB
    assert str(error.value) == MENSAJE_VENCIDO_XIQB
    assert error.value.fecha.isoformat() == "2023-05-27"


def test_aun_no_valida(leer_fixture: Leer) -> None:
    cert = leer_certificado(leer_fixture("satcfdi/xiqb891116qe4.cer"))
    with pytest.raises(CertificadoAunNoValido) as error:
        verificar_vigencia(cert, datetime(2019, 1, 1, tzinfo=UTC))
    assert "28/05/2019" in error.value.mensaje


def test_el_reloj_debe_tener_zona(leer_fixture: Leer) -> None:
    cert = leer_certificado(leer_fixture("satcfdi/xiqb891116qe4.cer"))
    with pytest.raises(ValueError):
        verificar_vigencia(cert, datetime(2022, 6, 1))


# ------------------------------------------------------------------------------------- identidad


def test_identidad_coincide_aunque_la_escriban_distinto(leer_fixture: Leer) -> None:
    cert = leer_certificado(leer_fixture("satcfdi/xiqb891116qe4.cer"))
    verificar_identidad(cert, curp_esperada=" xiqb891116mgrmzr05 ", rfc_esperado="XIQB-891116-QE4")


@pytest.mark.parametrize(
    ("curp", "rfc", "campo"),
    [
        ("CACX760510MGTSHC04", None, "CURP"),
        (None, "CACX7605101P8", "RFC"),
        ("XIQB891116MGRMZR05", "CACX7605101P8", "RFC"),
    ],
)
def test_identidad_no_coincide_dice_cual(
    curp: str | None, rfc: str | None, campo: str, leer_fixture: Leer
) -> None:
    cert = leer_certificado(leer_fixture("satcfdi/xiqb891116qe4.cer"))
    with pytest.raises(IdentidadNoCoincide) as error:
        verificar_identidad(cert, curp_esperada=curp, rfc_esperado=rfc)
    assert error.value.campo == campo
    assert campo in error.value.mensaje


def test_persona_moral_acepta_rfc_de_empresa_o_representante(leer_fixture: Leer) -> None:
    cert = leer_certificado(leer_fixture("satcfdi/eku9003173c9.cer"))
    verificar_identidad(cert, rfc_esperado="EKU9003173C9", curp_esperada="XIQB891116MGRMZR05")
    verificar_identidad(cert, rfc_esperado="XIQB891116QE4")
    with pytest.raises(IdentidadNoCoincide):
        verificar_identidad(cert, curp_esperada="CACX760510MGTSHC04")


# ------------------------------------------------------------------------------------- cadena


def test_cadena_confiable(
    fiel_fisica: tuple[bytes, bytes, str], almacen: AlmacenConfianza, ahora: datetime
) -> None:
    cert = revisar_certificado(
        fiel_fisica[0], ahora=ahora, almacen=almacen, curp_esperada="XIQB891116MGRMZR05"
    )
    assert cert.rfc == "XIQB891116QE4"
    assert cert.emisor == "AC de pruebas del Asistente, SERVICIO DE ADMINISTRACION TRIBUTARIA"


def test_cadena_con_intermedia(tmp_path: Path, ahora: datetime) -> None:
    raiz = crear_ca(tmp_path, nombre="AC Raiz de pruebas")
    intermedia = crear_ca(tmp_path, nombre="AC Intermedia de pruebas", emisor=raiz, pem=True)
    cer, _, _ = crear_fiel(intermedia, "CACX7605101P8", "CACX760510MGTSHC04", "XOCHILT CASAS CHAVEZ")
    almacen = AlmacenConfianza.desde_directorio(tmp_path)
    assert len(almacen) == 2
    cadena = almacen.verificar_cadena(x509.load_der_x509_certificate(cer), ahora)
    assert cadena == (intermedia.cert, raiz.cert)


def test_intermedia_sin_su_raiz_no_basta(tmp_path: Path, ahora: datetime) -> None:
    raiz = crear_ca(None, nombre="AC Raiz fuera del almacen")
    intermedia = crear_ca(tmp_path, nombre="AC Intermedia", emisor=raiz)
    cer, _, _ = crear_fiel(intermedia, "CACX7605101P8", "CACX760510MGTSHC04", "XOCHILT CASAS CHAVEZ")
    with pytest.raises(EmisorNoConfiable):
        revisar_certificado(cer, ahora=ahora, almacen=AlmacenConfianza.desde_directorio(tmp_path))


def test_ac_no_confiable(almacen: AlmacenConfianza, ahora: datetime) -> None:
    ajena = crear_ca(None, nombre="AC ajena")
    cer, _, _ = crear_fiel(ajena, "CACX7605101P8", "CACX760510MGTSHC04", "XOCHILT CASAS CHAVEZ")
    with pytest.raises(EmisorNoConfiable) as error:
        revisar_certificado(cer, ahora=ahora, almacen=almacen)
    assert "SAT" in error.value.mensaje


def test_ac_impostora_con_el_mismo_nombre(ca: CaPrueba, almacen: AlmacenConfianza, ahora: datetime) -> None:
    impostora = crear_ca(None, nombre="AC de pruebas del Asistente")  # same subject, different key
    assert impostora.cert.subject == ca.cert.subject
    cer, _, _ = crear_fiel(impostora, "CACX7605101P8", "CACX760510MGTSHC04", "XOCHILT CASAS CHAVEZ")
    with pytest.raises(EmisorNoConfiable):
        revisar_certificado(cer, ahora=ahora, almacen=almacen)


def test_ac_vencida_al_momento_del_reloj(tmp_path: Path, ahora: datetime) -> None:
    vieja = crear_ca(tmp_path, desde=ahora - timedelta(days=3650), hasta=ahora - timedelta(days=1))
    cer, _, _ = crear_fiel(
        vieja, "CACX7605101P8", "CACX760510MGTSHC04", "XOCHILT", hasta=ahora + timedelta(days=30)
    )
    almacen = AlmacenConfianza.desde_directorio(tmp_path)
    with pytest.raises(EmisorNoConfiable):
        almacen.verificar_cadena(x509.load_der_x509_certificate(cer), ahora)
    # The same chain was fine while the CA was valid.
    almacen.verificar_cadena(x509.load_der_x509_certificate(cer), ahora - timedelta(days=2))


def test_el_sat_real_no_esta_en_nuestro_almacen(
    leer_fixture: Leer, almacen: AlmacenConfianza, ahora_valido: datetime
) -> None:
    with pytest.raises(EmisorNoConfiable):
        revisar_certificado(leer_fixture("satcfdi/xiqb891116qe4.cer"), ahora=ahora_valido, almacen=almacen)


@pytest.mark.parametrize("como", ["none", "no_existe", "vacio", "solo_otros_archivos"])
def test_almacen_sin_configurar(
    como: str, tmp_path: Path, fiel_fisica: tuple[bytes, bytes, str], ahora: datetime
) -> None:
    if como == "none":
        almacen: AlmacenConfianza | None = None
    elif como == "no_existe":
        almacen = AlmacenConfianza.desde_directorio(tmp_path / "no_existe")
    else:
        if como == "solo_otros_archivos":
            (tmp_path / "LEEME.txt").write_text("aquí van los .cer del SAT")
        almacen = AlmacenConfianza.desde_directorio(tmp_path)
    with pytest.raises(AlmacenConfianzaNoConfigurado) as error:
        revisar_certificado(fiel_fisica[0], ahora=ahora, almacen=almacen)
    assert isinstance(error.value, ConfiguracionEfirmaInvalida)
    assert "no puedo comprobar quién emitió tu e.firma" in error.value.mensaje
    assert error.value.detalle is not None and "EFIRMA_CA_DIR" in error.value.detalle


def test_almacen_con_archivo_roto(tmp_path: Path) -> None:
    (tmp_path / "roto.cer").write_bytes(b"esto no es un certificado")
    with pytest.raises(AlmacenConfianzaInvalido) as error:
        AlmacenConfianza.desde_directorio(tmp_path)
    assert error.value.detalle is not None and "roto.cer" in error.value.detalle


def test_almacen_lee_pem_con_varios_certificados(tmp_path: Path, ca: CaPrueba) -> None:
    otra = crear_ca(None, nombre="Otra AC")
    paquete = ca.cert.public_bytes(serialization.Encoding.PEM) + otra.cert.public_bytes(
        serialization.Encoding.PEM
    )
    (tmp_path / "sat.crt").write_bytes(paquete)
    (tmp_path / "duplicada.cer").write_bytes(ca.der)
    almacen = AlmacenConfianza.desde_directorio(tmp_path)
    assert len(almacen) == 2  # the duplicate counts once


# ------------------------------------------------------------------------------------- todo junto


def test_validar_efirma_completa(
    fiel_fisica: tuple[bytes, bytes, str], almacen: AlmacenConfianza, ca: CaPrueba, ahora: datetime
) -> None:
    cer, key, password = fiel_fisica
    validada = validar_efirma(
        cer,
        key,
        password,
        ahora=ahora,
        almacen=almacen,
        revocacion=SIN_CONEXION,
        curp_esperada="XIQB891116MGRMZR05",
        rfc_esperado="XIQB891116QE4",
    )
    assert validada.certificado.rfc == "XIQB891116QE4"
    assert validada.certificado.curp == "XIQB891116MGRMZR05"
    assert validada.cadena == (ca.cert,)
    assert validada.revocacion is EstadoRevocacion.NO_VERIFICADO
    assert validada.aviso_revocacion == "No se consultó el estado de revocación (modo sin conexión)."
    sello = validada.firmar("||1.0|IMSS|XIQB891116MGRMZR05||")
    assert verificar_firma(validada.certificado, "||1.0|IMSS|XIQB891116MGRMZR05||", sello)


def test_fabrica_con_pem_y_contrasena_propia(
    fabrica_fiel: Callable[..., tuple[bytes, bytes, str]], almacen: AlmacenConfianza, ahora: datetime
) -> None:
    cer, key, password = fabrica_fiel(
        "CACX7605101P8", "CACX760510MGTSHC04", "XOCHILT CASAS CHAVEZ", password="Mi Clave 1", pem=True
    )
    assert cer.startswith(b"-----BEGIN CERTIFICATE-----")
    assert key.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    validada = validar_efirma(cer, key, password, ahora=ahora, almacen=almacen, revocacion=SIN_CONEXION)
    assert validada.certificado.curp == "CACX760510MGTSHC04"


def test_validar_efirma_persona_moral(
    fiel_moral: tuple[bytes, bytes, str], almacen: AlmacenConfianza, ahora: datetime
) -> None:
    cer, key, password = fiel_moral
    validada = validar_efirma(
        cer, key, password, ahora=ahora, almacen=almacen, revocacion=SIN_CONEXION, rfc_esperado="EKU9003173C9"
    )
    assert validada.certificado.persona == "moral"


def test_la_llave_y_la_contrasena_nunca_aparecen_en_repr(
    fiel_fisica: tuple[bytes, bytes, str], almacen: AlmacenConfianza, ahora: datetime
) -> None:
    cer, key, password = fiel_fisica
    validada = validar_efirma(cer, key, password, ahora=ahora, almacen=almacen, revocacion=SIN_CONEXION)
    texto = repr(validada) + str(validada)
    assert password not in texto
    assert "llave=" not in texto and "PRIVATE" not in texto and "RSAPrivateKey" not in texto
    assert "XIQB891116QE4" in texto
    with pytest.raises(TypeError):
        pickle.dumps(validada)


@pytest.mark.parametrize(
    ("caso", "error"),
    [
        ("csd_con_contrasena_mala", NoEsFiel),
        ("vencida_con_contrasena_mala", CertificadoVencido),
        ("otra_persona_con_contrasena_mala", IdentidadNoCoincide),
        ("ac_ajena_con_contrasena_mala", EmisorNoConfiable),
        ("contrasena_mala", ContrasenaIncorrecta),
        ("llave_de_otro", LlaveNoCorresponde),
        ("revocada", CertificadoRevocado),
        ("archivos_al_reves", ArchivoNoEsCertificado),
        ("dos_certificados", ArchivoNoEsLlave),
    ],
)
def test_orden_de_las_revisiones(
    caso: str,
    error: type[EfirmaError],
    ca: CaPrueba,
    almacen: AlmacenConfianza,
    fiel_fisica: tuple[bytes, bytes, str],
    csd_fisica: tuple[bytes, bytes, str],
    leer_fixture: Leer,
    password_fixtures: str,
    ahora: datetime,
) -> None:
    cer, key, password = fiel_fisica
    revocacion: RevocacionSinConexion | RevocacionFija = SIN_CONEXION
    curp = "XIQB891116MGRMZR05"
    if caso == "csd_con_contrasena_mala":
        cer, key, password = csd_fisica[0], csd_fisica[1], "mala"
    elif caso == "vencida_con_contrasena_mala":
        cer, key, password = crear_fiel(
            ca,
            "XIQB891116QE4",
            curp,
            "BERENICE",
            desde=ahora - timedelta(days=900),
            hasta=ahora - timedelta(days=1),
        )
        password = "mala"
    elif caso == "otra_persona_con_contrasena_mala":
        curp, password = "CACX760510MGTSHC04", "mala"
    elif caso == "ac_ajena_con_contrasena_mala":
        cer, key, _ = crear_fiel(crear_ca(None), "XIQB891116QE4", curp, "BERENICE")
        password = "mala"
    elif caso == "contrasena_mala":
        password = password.lower()
    elif caso == "llave_de_otro":
        cer, key, password = cer, leer_fixture("satcfdi/xiqb891116qe4.key"), password_fixtures
    elif caso == "revocada":
        revocacion = RevocacionFija(EstadoRevocacion.REVOCADO)
    elif caso == "archivos_al_reves":
        cer, key = key, cer
    elif caso == "dos_certificados":
        key = cer
    with pytest.raises(error) as capturado:
        validar_efirma(
            cer, key, password, ahora=ahora, almacen=almacen, revocacion=revocacion, curp_esperada=curp
        )
    assert capturado.value.mensaje


def test_revocacion_recibe_el_certificado_y_su_emisor(
    fiel_fisica: tuple[bytes, bytes, str], almacen: AlmacenConfianza, ca: CaPrueba, ahora: datetime
) -> None:
    verificador = RevocacionFija(EstadoRevocacion.VIGENTE)
    cer, key, password = fiel_fisica
    validada = validar_efirma(cer, key, password, ahora=ahora, almacen=almacen, revocacion=verificador)
    assert validada.revocacion is EstadoRevocacion.VIGENTE
    assert validada.aviso_revocacion is None
    [(cert, emisor)] = verificador.consultas
    assert cert.public_bytes(serialization.Encoding.DER) == cer
    assert emisor == ca.cert


def test_revocada_dice_que_tramite_otra(
    fiel_fisica: tuple[bytes, bytes, str], almacen: AlmacenConfianza, ahora: datetime
) -> None:
    cer, key, password = fiel_fisica
    with pytest.raises(CertificadoRevocado) as error:
        validar_efirma(
            cer,
            key,
            password,
            ahora=ahora,
            almacen=almacen,
            revocacion=RevocacionFija(EstadoRevocacion.REVOCADO),
        )
    assert "revocada" in error.value.mensaje


def test_pasos_para_el_chat(
    fiel_fisica: tuple[bytes, bytes, str], almacen: AlmacenConfianza, ahora: datetime, leer_fixture: Leer
) -> None:
    cer, key, password = fiel_fisica
    # Turn 1: the .cer arrives and is checked before the bot asks for the .key.
    cert = revisar_certificado(cer, ahora=ahora, almacen=almacen, rfc_esperado="XIQB891116QE4")
    # Turn 2: the .key and the password.
    with pytest.raises(ContrasenaIncorrecta):
        revisar_llave(cert, key, "no es")
    with pytest.raises(LlaveNoCorresponde):
        revisar_llave(cert, leer_fixture("satcfdi/xiqb891116qe4.key"), "12345678a")
    llave = revisar_llave(cert, key, password)
    assert verificar_firma(cert, "hola", firmar(llave, "hola"))


# ------------------------------------------------------------------------------------- firma


def test_firma_rsa_sha256_pkcs1v15_en_base64(leer_fixture: Leer, password_fixtures: str) -> None:
    import base64

    llave = abrir_llave(leer_fixture("satcfdi/xiqb891116qe4.key"), password_fixtures)
    cert = leer_certificado(leer_fixture("satcfdi/xiqb891116qe4.cer"))
    cadena = "||4.0|XIQB891116QE4|Constancia de vigencia|ñandú||"
    sello = firmar(llave, cadena)
    assert sello == firmar(llave, cadena)  # PKCS#1 v1.5 is deterministic
    public_key = cert.objeto_x509().public_key()
    assert isinstance(public_key, rsa.RSAPublicKey)
    public_key.verify(base64.b64decode(sello), cadena.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    assert verificar_firma(cert, cadena, sello)
    assert verificar_firma(cert.objeto_x509(), cadena, sello)
    assert not verificar_firma(cert, cadena + " ", sello)
    assert not verificar_firma(cert, cadena, "esto no es base64!!")
    assert not verificar_firma(cert, cadena, sello[:-8] + "AAAAAAA=")
    otro = leer_certificado(leer_fixture("satcfdi/cacx7605101p8.cer"))
    assert not verificar_firma(otro, cadena, sello)


def test_csd_de_fabrica_no_pasa_aunque_todo_lo_demas_este_bien(
    ca: CaPrueba, almacen: AlmacenConfianza, ahora: datetime
) -> None:
    cer, key, password = crear_csd(ca, "XIQB891116QE4", "XIQB891116MGRMZR05", "BERENICE")
    with pytest.raises(NoEsFiel):
        validar_efirma(cer, key, password, ahora=ahora, almacen=almacen, revocacion=SIN_CONEXION)
