"""Verification of a PDF we issued: PAdES signature, sello digital and folio registry."""

from __future__ import annotations

import io
import logging
from typing import Any

from tramites.documentos.cadena import CadenaInvalida, parsear_cadena
from tramites.documentos.claves import ClavesInstitucion
from tramites.documentos.firma import INFO_CADENA, INFO_FOLIO, INFO_SELLO, fuera_del_bucle
from tramites.documentos.folios import RegistroFolios, huella_cadena
from tramites.documentos.modelo import DocumentoNoValido, VerificacionOk

__all__ = ["MENSAJES", "verificar_pdf"]

log = logging.getLogger(__name__)

MENSAJES: dict[str, str] = {
    "no_pdf": "El archivo no es un PDF. Envía el PDF tal como lo descargaste del IMSS Digital.",
    "danado": "El archivo PDF está dañado y no se puede leer. Descárgalo de nuevo.",
    "sin_firma": "No tiene firma electrónica, así que no es un documento emitido por el IMSS Digital.",
    "modificado": "El archivo fue modificado después de firmarse; no es válido. Descárgalo de nuevo.",
    "firma_ajena": "La firma no es del IMSS Digital; este documento no lo emitimos nosotros.",
    "sin_sello": "El archivo no trae la cadena original y el sello digital del IMSS Digital.",
    "sello_invalido": "El sello digital no corresponde a la cadena original del documento.",
    "folio_desconocido": "El folio {folio} no existe en nuestros registros.",
    "no_coincide": "Los datos del documento no coinciden con los registrados para el folio {folio}.",
}


def _rechazar(motivo: str, **datos: str) -> DocumentoNoValido:
    return DocumentoNoValido(MENSAJES[motivo].format(**datos), motivo=motivo)


def _es_pdf(data: bytes) -> bool:
    # The spec lets the header start anywhere in the first 1024 bytes.
    return b"%PDF-" in data[:1024]


def _texto_info(info: Any, clave: str) -> str | None:
    try:
        valor = info.get(clave) if info is not None else None
    except Exception:
        return None
    return str(valor) if valor is not None else None


def verificar_pdf(data: bytes, claves: ClavesInstitucion, folios: RegistroFolios) -> VerificacionOk:
    """Check that a PDF is intact, signed by us, sealed and registered; else raise DocumentoNoValido."""
    if not isinstance(data, bytes | bytearray) or not _es_pdf(bytes(data)):
        raise _rechazar("no_pdf")
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        lector = PdfFileReader(io.BytesIO(bytes(data)), strict=False)
        firmas = list(lector.embedded_signatures)
    except Exception as e:
        log.info("PDF ilegible: %s", e)
        raise _rechazar("danado") from e
    if not firmas:
        raise _rechazar("sin_firma")
    if len(firmas) > 1:
        # We sign once; any further signature is a later revision added by someone else.
        raise _rechazar("modificado")
    firma = firmas[0]

    contexto = ValidationContext(trust_roots=[claves.certificado_asn1()], allow_fetching=False)
    try:
        estado = fuera_del_bucle(
            lambda: validate_pdf_signature(firma, signer_validation_context=contexto, skip_diff=True)
        )
    except (SignatureValidationError, ValueError, KeyError, TypeError) as e:
        log.info("firma ilegible: %s", e)
        raise _rechazar("modificado") from e
    except Exception as e:
        log.info("firma ilegible: %s", e)
        raise _rechazar("modificado") from e
    if not estado.intact or not estado.valid:
        raise _rechazar("modificado")
    if not estado.trusted or estado.signing_cert.sha256 != claves.certificado_asn1().sha256:
        raise _rechazar("firma_ajena")
    if estado.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        raise _rechazar("modificado")

    try:
        info = lector.trailer["/Info"]
    except Exception:
        info = None
    cadena = _texto_info(info, INFO_CADENA)
    sello = _texto_info(info, INFO_SELLO)
    folio_info = _texto_info(info, INFO_FOLIO)
    if not cadena or not sello:
        raise _rechazar("sin_sello")
    if not claves.verificar_sello(cadena, sello):
        raise _rechazar("sello_invalido")
    try:
        leida = parsear_cadena(cadena)
    except CadenaInvalida as e:
        raise _rechazar("sello_invalido") from e
    if folio_info is not None and folio_info != leida.folio:
        raise _rechazar("no_coincide", folio=leida.folio)

    registro = folios.buscar(leida.folio)
    if registro is None:
        raise _rechazar("folio_desconocido", folio=leida.folio)
    if registro.cadena_sha256 != huella_cadena(cadena) or registro.sello != sello:
        raise _rechazar("no_coincide", folio=leida.folio)

    doc = leida.documento
    return VerificacionOk(
        folio=leida.folio, tipo=doc.tipo, fecha=leida.fecha, titulo=doc.titulo,
        campos=dict(doc.campos), cadena=cadena, sello=sello, documento=doc,
    )
