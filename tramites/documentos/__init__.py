"""Issued documents: PDF with folio, cadena original, sello digital, QR and PAdES signature; verification.

Heavy libraries (reportlab, pyHanko) load when a document is issued or verified, not on import of
this package's lightweight parts.
"""

from tramites.documentos.cadena import (
    CadenaInvalida,
    CadenaLeida,
    cadena_original,
    normalizar_documento,
    normalizar_texto,
    parsear_cadena,
)
from tramites.documentos.claves import NOMBRE_DESARROLLO, ClavesInstitucion
from tramites.documentos.emisor import MIME_PDF, Emisor, ahora_mexico
from tramites.documentos.folios import (
    FOLIO_PATRON,
    FolioDuplicado,
    MemoriaRegistroFolios,
    RegistroFolio,
    RegistroFolios,
    SqlRegistroFolios,
    huella_cadena,
    nuevo_folio,
)
from tramites.documentos.modelo import (
    ClavesInvalidas,
    Documento,
    DocumentoEmitido,
    DocumentoNoValido,
    DocumentosError,
    Tabla,
    VerificacionOk,
)
from tramites.documentos.verificacion import MENSAJES, verificar_pdf

__all__ = [
    "FOLIO_PATRON",
    "MENSAJES",
    "MIME_PDF",
    "NOMBRE_DESARROLLO",
    "CadenaInvalida",
    "CadenaLeida",
    "ClavesInstitucion",
    "ClavesInvalidas",
    "Documento",
    "DocumentoEmitido",
    "DocumentoNoValido",
    "DocumentosError",
    "Emisor",
    "FolioDuplicado",
    "MemoriaRegistroFolios",
    "RegistroFolio",
    "RegistroFolios",
    "SqlRegistroFolios",
    "Tabla",
    "VerificacionOk",
    "ahora_mexico",
    "cadena_original",
    "huella_cadena",
    "normalizar_documento",
    "normalizar_texto",
    "nuevo_folio",
    "parsear_cadena",
    "verificar_pdf",
]
