"""Typed e.firma errors; each one carries a short Spanish `mensaje` that says what to do."""

from __future__ import annotations

from datetime import date

from tramites.errores import TramiteError

__all__ = [
    "AlmacenConfianzaInvalido",
    "AlmacenConfianzaNoConfigurado",
    "ArchivoDemasiadoGrande",
    "ArchivoNoEsCertificado",
    "ArchivoNoEsLlave",
    "ArchivoNoValido",
    "CertificadoAunNoValido",
    "CertificadoRevocado",
    "CertificadoSinRfc",
    "CertificadoVencido",
    "ConfiguracionEfirmaInvalida",
    "ContrasenaIncorrecta",
    "EfirmaError",
    "EmisorNoConfiable",
    "IdentidadNoCoincide",
    "LlaveDerivacionExcesiva",
    "LlaveNoCorresponde",
    "LlaveSinCifrar",
    "NoEsFiel",
]


class EfirmaError(TramiteError):
    """Base of every e.firma error; `mensaje` is for the person, `detalle` (optional) for operators' logs."""

    MENSAJE = "No pude revisar tu e.firma. Inténtalo de nuevo o pide ayuda a un agente."


# ------------------------------------------------------------------------------------------ archivos


class ArchivoNoValido(EfirmaError):
    """The uploaded file is not usable as a .cer or .key (size or structure)."""


class ArchivoDemasiadoGrande(ArchivoNoValido):
    """The file exceeds the upload limit; checked before any parsing."""

    MENSAJE = (
        "Tu archivo pesa {kb} KB y el máximo es {limite_kb} KB. "
        "Los archivos .cer y .key de la e.firma pesan unos 2 KB; revisa que sea el archivo correcto."
    )
    tamano: int
    limite: int

    def __init__(self, tamano: int, limite: int) -> None:
        super().__init__(tamano=tamano, limite=limite, kb=max(1, tamano // 1024), limite_kb=limite // 1024)


class ArchivoNoEsCertificado(ArchivoNoValido):
    """The file is not an X.509 certificate (DER or PEM)."""

    MENSAJE = (
        "Ese archivo no es el certificado (.cer) de una e.firma. Sube el archivo .cer que te dio el SAT."
    )


class CertificadoSinRfc(ArchivoNoEsCertificado):
    """A certificate that does not carry an RFC, so it was not issued by SAT for a taxpayer."""

    MENSAJE = (
        "Ese certificado no trae un RFC, así que no es una e.firma del SAT. "
        "Sube el archivo .cer de tu e.firma."
    )


class ArchivoNoEsLlave(ArchivoNoValido):
    """The file is not an encrypted private key (PKCS#8 DER or PEM)."""

    MENSAJE = (
        "Ese archivo no es la llave privada (.key) de una e.firma. "
        "Sube el archivo .key que te dio el SAT junto con tu certificado."
    )


class LlaveSinCifrar(ArchivoNoEsLlave):
    """A private key without password protection: never what SAT hands out."""

    MENSAJE = (
        "Esa llave privada no está protegida con contraseña, así que no es el archivo .key original "
        "del SAT. Sube el .key que te dio el SAT."
    )


class LlaveDerivacionExcesiva(ArchivoNoEsLlave):
    """A key whose password derivation asks for far more work than SAT's (a way to pin the server's CPU)."""

    MENSAJE = (
        "Ese archivo .key está cifrado de una forma que el SAT no usa, así que no lo puedo abrir. "
        "Sube el archivo .key original que te dio el SAT."
    )


# ------------------------------------------------------------------------------------ certificado


class NoEsFiel(EfirmaError):
    """The certificate is a Certificado de Sello Digital (CSD), not an e.firma (FIEL)."""

    MENSAJE = (
        "Subiste un Certificado de Sello Digital (CSD). Para este trámite necesito tu e.firma (FIEL), que es "
        "otra."
    )


class CertificadoVencido(EfirmaError):
    """The certificate expired before the injected clock's instant."""

    MENSAJE = (
        "Tu e.firma venció el {fecha:%d/%m/%Y}. Renuévala en el portal del SAT "
        "(CertiSAT Web) o en una oficina del SAT y vuelve a intentarlo."
    )
    fecha: date


class CertificadoAunNoValido(EfirmaError):
    """The certificate's validity starts after the injected clock's instant."""

    MENSAJE = (
        "Tu e.firma todavía no es válida: empieza a valer el {fecha:%d/%m/%Y}. "
        "Vuelve a intentarlo a partir de esa fecha."
    )
    fecha: date


class IdentidadNoCoincide(EfirmaError):
    """The CURP or RFC the person typed is not the one in the certificate; `campo` says which."""

    MENSAJE = (
        "{articulo} {campo} que escribiste no coincide con {articulo_bajo} de tu e.firma. "
        "Revisa tu {campo} o sube la e.firma que es tuya."
    )
    campo: str

    def __init__(self, campo: str) -> None:
        articulo = "La" if campo == "CURP" else "El"
        super().__init__(campo=campo, articulo=articulo, articulo_bajo=articulo.lower())


class EmisorNoConfiable(EfirmaError):
    """No certificate in the trust store issued this one (or the chain is broken or expired)."""

    MENSAJE = (
        "No pude confirmar que el SAT haya emitido tu e.firma. Sube el certificado (.cer) original "
        "que te dio el SAT; si el problema sigue, pide ayuda a un agente."
    )


class CertificadoRevocado(EfirmaError):
    """The revocation check says SAT revoked the certificate."""

    MENSAJE = (
        "Tu e.firma fue revocada y ya no sirve para firmar. "
        "Tramita una nueva en una oficina del SAT y vuelve a intentarlo."
    )


# ------------------------------------------------------------------------------------------- llave


class ContrasenaIncorrecta(EfirmaError):
    """The password does not open the private key."""

    MENSAJE = (
        "La contraseña de tu llave privada no es correcta. "
        "Revisa mayúsculas y minúsculas e inténtalo de nuevo."
    )


class LlaveNoCorresponde(EfirmaError):
    """The private key opened fine but belongs to another certificate."""

    MENSAJE = (
        "La llave privada (.key) no corresponde a tu certificado (.cer). "
        "Sube la llave que el SAT te dio junto con ese certificado."
    )


# ------------------------------------------------------------------------------------ configuración


class ConfiguracionEfirmaInvalida(EfirmaError):
    """Operator-side problem (trust store); the person cannot fix it, so `detalle` explains it for logs."""

    MENSAJE = (
        "Por ahora no puedo comprobar quién emitió tu e.firma. Inténtalo más tarde o pide ayuda a un agente."
    )


class AlmacenConfianzaNoConfigurado(ConfiguracionEfirmaInvalida):
    """The trust store (EFIRMA_CA_DIR) is unset or holds no CA certificates."""

    def __init__(self, detalle: str | None = None) -> None:
        super().__init__(
            detalle=detalle
            or "El almacén de confianza (EFIRMA_CA_DIR) no está configurado o no tiene certificados "
            "de las autoridades certificadoras del SAT."
        )


class AlmacenConfianzaInvalido(ConfiguracionEfirmaInvalida):
    """A file in the trust store folder is not a certificate."""
