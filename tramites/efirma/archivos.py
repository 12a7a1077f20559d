"""Upload sniffing and loading of .cer / .key files (DER or PEM) into cryptography objects."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Literal

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tramites.efirma import _der
from tramites.efirma.errores import (
    ArchivoDemasiadoGrande,
    ArchivoNoEsCertificado,
    ArchivoNoEsLlave,
    ContrasenaIncorrecta,
    LlaveDerivacionExcesiva,
    LlaveSinCifrar,
)

__all__ = [
    "LIMITE_BYTES",
    "MAX_ITERACIONES_KDF",
    "LlavePrivada",
    "TipoArchivo",
    "abrir_llave",
    "cargar_certificado",
    "clasificar_archivo",
    "revisar_tamano",
]

LIMITE_BYTES = 64 * 1024
"""Upload limit for .cer and .key files; real ones weigh about 1.5 KB."""

MAX_ITERACIONES_KDF = 100_000
"""Cap on the PBKDF2 work a .key may ask for: SAT (and OpenSSL by default) use 2048, a hostile file could
ask for 2**31 and pin a CPU for minutes; the count is read from the DER, before any derivation."""

TipoArchivo = Literal["certificado", "llave"]
LlavePrivada = rsa.RSAPrivateKey

_Forma = Literal["certificado", "llave_pkcs8", "llave_pem_tradicional", "llave_sin_cifrar"]


def _oid(punteado: str) -> bytes:
    """DER contents of an OBJECT IDENTIFIER, so we can compare against raw bytes."""
    arcos = [int(a) for a in punteado.split(".")]
    salida = bytearray([arcos[0] * 40 + arcos[1]])
    for arco in arcos[2:]:
        grupo = [arco & 0x7F]
        arco >>= 7
        while arco:
            grupo.append(0x80 | (arco & 0x7F))
            arco >>= 7
        salida.extend(reversed(grupo))
    return bytes(salida)


_PBES2 = _oid("1.2.840.113549.1.5.13")
_PBKDF2 = _oid("1.2.840.113549.1.5.12")
_PBES1_PKCS12_3DES = _oid("1.2.840.113549.1.12.1.3")
_PRF_PERMITIDAS = {_oid(f"1.2.840.113549.2.{n}") for n in (7, 8, 9, 10, 11)}  # hmacWithSHA1..SHA512
_CIFRADOS_PERMITIDOS = {
    _oid("1.2.840.113549.3.7"),  # des-ede3-cbc: what SAT uses
    _oid("2.16.840.1.101.3.4.1.2"),  # aes-128-cbc
    _oid("2.16.840.1.101.3.4.1.22"),  # aes-192-cbc
    _oid("2.16.840.1.101.3.4.1.42"),  # aes-256-cbc
}

_PEM_INICIO = re.compile(rb"-----BEGIN ([A-Z0-9 ]{1,40})-----")
_ETIQUETAS_CERTIFICADO = {b"CERTIFICATE", b"X509 CERTIFICATE"}


@dataclass(frozen=True)
class _Pem:
    etiqueta: bytes
    der: bytes
    cifrada_tradicional: bool


def revisar_tamano(data: bytes, limite: int = LIMITE_BYTES) -> None:
    """Raise ArchivoDemasiadoGrande when an upload is over the limit (before anything parses it)."""
    if len(data) > limite:
        raise ArchivoDemasiadoGrande(len(data), limite)


def _leer_pem(data: bytes) -> _Pem | None:
    # Only the first block counts; find() keeps this linear even on hostile input full of markers.
    inicio = data.find(b"-----BEGIN ")
    if inicio < 0:
        return None
    cabecera = _PEM_INICIO.match(data, inicio)
    if cabecera is None:
        return None
    etiqueta = cabecera.group(1)
    fin = data.find(b"-----END " + etiqueta + b"-----", cabecera.end())
    if fin < 0:
        return None
    lineas = [linea.strip() for linea in data[cabecera.end() : fin].splitlines()]
    # Traditional OpenSSL PEM puts "Proc-Type:"/"DEK-Info:" headers before the base64 body.
    encabezados = [linea for linea in lineas if b":" in linea]
    texto = b"".join(linea for linea in lineas if linea and b":" not in linea)
    try:
        der = base64.b64decode(texto, validate=True)
    except (binascii.Error, ValueError):
        return None
    cifrada = any(e.upper().startswith(b"PROC-TYPE:") and b"ENCRYPTED" in e.upper() for e in encabezados)
    return _Pem(etiqueta, der, cifrada)


def _es_certificado(der: bytes) -> bool:
    try:
        raiz = _der.leer_unico(der)
        if raiz.tag != _der.SEQUENCE:
            return False
        partes = _der.hijos(der, raiz, maximo=3)
        if [p.tag for p in partes] != [_der.SEQUENCE, _der.SEQUENCE, _der.BIT_STRING]:
            return False
        tbs = _der.hijos(der, partes[0], maximo=16)
        return len(tbs) >= 6 and tbs[0].tag in (_der.CONTEXTO_0, _der.INTEGER)
    except _der.DerError:
        return False


def _algoritmo_llave_cifrada(der: bytes) -> tuple[bytes, _der.Tlv | None] | None:
    """OID and parameters of an EncryptedPrivateKeyInfo, or None if the shape is not that."""
    try:
        raiz = _der.leer_unico(der)
        if raiz.tag != _der.SEQUENCE:
            return None
        partes = _der.hijos(der, raiz, maximo=2)
        if [p.tag for p in partes] != [_der.SEQUENCE, _der.OCTET_STRING]:
            return None
        algoritmo = _der.hijos(der, partes[0], maximo=2)
        if not algoritmo or algoritmo[0].tag != _der.OID:
            return None
        oid = der[algoritmo[0].inicio : algoritmo[0].fin]
        return oid, (algoritmo[1] if len(algoritmo) == 2 else None)
    except _der.DerError:
        return None


def _es_llave_sin_cifrar(der: bytes) -> bool:
    try:
        raiz = _der.leer_unico(der)
        if raiz.tag != _der.SEQUENCE:
            return False
        partes = _der.hijos(der, raiz, maximo=16)
        etiquetas = [p.tag for p in partes]
        pkcs8 = len(partes) >= 3 and etiquetas[:3] == [_der.INTEGER, _der.SEQUENCE, _der.OCTET_STRING]
        pkcs1 = len(partes) == 9 and all(t == _der.INTEGER for t in etiquetas)
        return pkcs8 or pkcs1
    except _der.DerError:
        return False


def _forma(data: bytes) -> tuple[_Forma, bytes] | None:
    """What the bytes look like, plus the DER to hand to cryptography; never decrypts."""
    pem = _leer_pem(data)
    if pem is not None:
        if pem.etiqueta in _ETIQUETAS_CERTIFICADO:
            return ("certificado", pem.der) if _es_certificado(pem.der) else None
        if pem.etiqueta == b"ENCRYPTED PRIVATE KEY":
            return ("llave_pkcs8", pem.der) if _algoritmo_llave_cifrada(pem.der) else None
        if pem.etiqueta in (b"RSA PRIVATE KEY", b"PRIVATE KEY"):
            if pem.cifrada_tradicional:
                return "llave_pem_tradicional", data
            return ("llave_sin_cifrar", pem.der) if _es_llave_sin_cifrar(pem.der) else None
        return None
    if _es_certificado(data):
        return "certificado", data
    if _algoritmo_llave_cifrada(data) is not None:
        return "llave_pkcs8", data
    if _es_llave_sin_cifrar(data):
        return "llave_sin_cifrar", data
    return None


def _por_nombre_es_llave(nombre: str) -> bool:
    return nombre.strip().lower().endswith((".key", ".pem.key"))


def clasificar_archivo(nombre: str, data: bytes) -> TipoArchivo:
    """Say whether an upload is a certificate or an encrypted key (by its bytes); typed error if neither.

    The size is checked first, then only the DER/PEM shape: nothing is decrypted here. The file name only
    picks which error to raise when the content is neither (a `.key` that is not a key says so).
    """
    revisar_tamano(data)
    forma = _forma(data)
    if forma is None:
        raise ArchivoNoEsLlave() if _por_nombre_es_llave(nombre) else ArchivoNoEsCertificado()
    tipo = forma[0]
    if tipo == "certificado":
        return "certificado"
    if tipo == "llave_sin_cifrar":
        raise LlaveSinCifrar()
    if tipo == "llave_pkcs8":
        # At upload, so a key that would pin a CPU is refused before anyone types a password for it.
        _revisar_kdf(forma[1])
    return "llave"


def cargar_certificado(data: bytes) -> x509.Certificate:
    """Load a .cer (DER or PEM) after the size and shape checks; raise ArchivoNoEsCertificado otherwise."""
    revisar_tamano(data)
    forma = _forma(data)
    if forma is None or forma[0] != "certificado":
        raise ArchivoNoEsCertificado()
    try:
        return x509.load_der_x509_certificate(forma[1])
    except (ValueError, x509.InvalidVersion) as exc:
        raise ArchivoNoEsCertificado(detalle=f"cryptography rejected the certificate: {exc}") from None


def _revisar_kdf(der: bytes) -> None:
    """Refuse encryption schemes we do not expect and key-derivation work that would pin a CPU."""
    encontrado = _algoritmo_llave_cifrada(der)
    if encontrado is None:
        raise ArchivoNoEsLlave()
    oid, parametros = encontrado
    try:
        if parametros is None or parametros.tag != _der.SEQUENCE:
            raise _der.DerError("missing parameters")
        if oid == _PBES1_PKCS12_3DES:
            sal_iter = _der.hijos(der, parametros, maximo=2)
            if len(sal_iter) != 2:
                raise _der.DerError("bad PBES1 parameters")
            iteraciones = _der.entero(der, sal_iter[1])
        elif oid == _PBES2:
            kdf, cifrado = _der.hijos(der, parametros, maximo=2)
            kdf_partes = _der.hijos(der, kdf, maximo=2)
            if der[kdf_partes[0].inicio : kdf_partes[0].fin] != _PBKDF2 or len(kdf_partes) != 2:
                raise ArchivoNoEsLlave(detalle="PBES2 with a KDF other than PBKDF2")
            pbkdf2 = _der.hijos(der, kdf_partes[1], maximo=4)
            if len(pbkdf2) < 2:
                raise _der.DerError("bad PBKDF2 parameters")
            iteraciones = _der.entero(der, pbkdf2[1])
            prf = [p for p in pbkdf2[2:] if p.tag == _der.SEQUENCE]
            if prf:
                prf_oid = _der.hijos(der, prf[0], maximo=2)[0]
                if der[prf_oid.inicio : prf_oid.fin] not in _PRF_PERMITIDAS:
                    raise ArchivoNoEsLlave(detalle="unsupported PBKDF2 PRF")
            cifrado_oid = _der.hijos(der, cifrado, maximo=2)[0]
            if der[cifrado_oid.inicio : cifrado_oid.fin] not in _CIFRADOS_PERMITIDOS:
                raise ArchivoNoEsLlave(detalle="unsupported PBES2 cipher")
        else:
            raise ArchivoNoEsLlave(detalle="unsupported key encryption algorithm")
    except (_der.DerError, ValueError, IndexError):
        raise ArchivoNoEsLlave(detalle="malformed key encryption parameters") from None
    if iteraciones < 1:
        raise ArchivoNoEsLlave(detalle=f"key derivation asks for {iteraciones} iterations")
    if iteraciones > MAX_ITERACIONES_KDF:
        raise LlaveDerivacionExcesiva(detalle=f"key derivation asks for {iteraciones} iterations")


def abrir_llave(data: bytes, contrasena: str) -> LlavePrivada:
    """Decrypt a .key (encrypted PKCS#8 DER/PEM, or encrypted traditional PEM) with the person's password.

    The bytes and the password are only held in memory for this call: nothing is written or logged.
    """
    revisar_tamano(data)
    forma = _forma(data)
    if forma is None:
        raise ArchivoNoEsLlave()
    tipo, der = forma
    if tipo == "certificado":
        raise ArchivoNoEsLlave(detalle="a certificate was given where the key was expected")
    if tipo == "llave_sin_cifrar":
        raise LlaveSinCifrar()
    if tipo == "llave_pkcs8":
        _revisar_kdf(der)
    if not contrasena:
        raise ContrasenaIncorrecta()
    clave = contrasena.encode("utf-8")
    try:
        if tipo == "llave_pkcs8":
            llave = serialization.load_der_private_key(der, password=clave)
        else:
            llave = serialization.load_pem_private_key(der, password=clave)
    except TypeError:
        raise LlaveSinCifrar() from None
    except UnsupportedAlgorithm:
        raise ArchivoNoEsLlave(detalle="unsupported key algorithm") from None
    except ValueError:
        # The envelope's shape was already checked, so a failure here is a wrong password (or a
        # damaged ciphertext, which looks exactly the same).
        raise ContrasenaIncorrecta() from None
    if not isinstance(llave, rsa.RSAPrivateKey):
        raise ArchivoNoEsLlave(detalle="the key is not RSA")
    return llave
