"""Issuing documents: folio, cadena original, sello digital, PDF, PAdES signature, registry."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tramites.documentos.cadena import cadena_original, normalizar_documento
from tramites.documentos.claves import ClavesInstitucion
from tramites.documentos.firma import cadena_del_pdf, firmar_pdf
from tramites.documentos.folios import (
    FolioDuplicado,
    RegistroFolio,
    RegistroFolios,
    huella_cadena,
    nuevo_folio,
)
from tramites.documentos.modelo import Documento, DocumentoEmitido, DocumentosError
from tramites.idempotencia import huella_clave

__all__ = ["MIME_PDF", "Emisor", "ahora_mexico", "nombre_documento"]

MIME_PDF = "application/pdf"
_NOMBRE_SEGURO = re.compile(r"[^A-Za-z0-9._-]+")


def ahora_mexico() -> datetime:
    """Current time in Mexico City (falls back to UTC-6 when the tz database is missing)."""
    try:
        from zoneinfo import ZoneInfo

        zona: timezone | ZoneInfo = ZoneInfo("America/Mexico_City")
    except Exception:
        zona = timezone(timedelta(hours=-6))
    return datetime.now(zona)


def nombre_documento(tipo: str, folio: str) -> str:
    """"constancia-vigencia-IMSS-20260115-K7Q2MZ4D.pdf": type and folio, never a personal identifier."""
    return f"{tipo.replace('_', '-')}-{folio}.pdf"


def _nombre_archivo(nombre: str) -> str:
    base = _NOMBRE_SEGURO.sub("_", Path(nombre).name).strip("._") or "documento"
    return base if base.lower().endswith(".pdf") else base + ".pdf"


class Emisor:
    """Issues sealed, signed and registered PDFs into the `salida` folder."""

    def __init__(
        self,
        claves: ClavesInstitucion,
        folios: RegistroFolios,
        public_url: str,
        salida: Path,
        now: Callable[[], datetime] = ahora_mexico,
    ) -> None:
        self.claves = claves
        self.folios = folios
        self.public_url = public_url.rstrip("/")
        self.salida = salida
        self._now = now

    def url_verificacion(self, folio: str) -> str:
        """The public page that verifies a folio (what the QR code points to)."""
        return f"{self.public_url}/verificar/{folio}"

    def _folio_libre(self, fecha: datetime) -> str:
        for _ in range(5):
            folio = nuevo_folio(fecha)
            if self.folios.buscar(folio) is None:
                return folio
        raise DocumentosError("No pudimos asignar un folio al documento; inténtalo de nuevo.")

    def emitir(
        self, doc: Documento, nombre_archivo: str | None = None, *, clave: str | None = None
    ) -> DocumentoEmitido:
        """Issue `doc` as a PDF named by its type and folio (or `nombre_archivo`, ".pdf" added if missing).

        With `clave` (the message that asked for it) the same key never issues a second document: a
        repeated call returns the one issued first.
        """
        huella = huella_clave(clave, doc.tipo)
        previo = self._ya_emitido(huella)
        if previo is not None:
            return previo
        fecha = self._now().replace(microsecond=0)
        if fecha.tzinfo is None:
            raise ValueError("el reloj del emisor debe dar fechas con zona horaria")
        from tramites.documentos.pdf import componer_pdf  # reportlab loads on first use

        doc = normalizar_documento(doc)
        folio = self._folio_libre(fecha)
        cadena = cadena_original(doc, folio, fecha)
        sello = self.claves.sellar(cadena)
        pdf = componer_pdf(doc, folio=folio, fecha=fecha, cadena=cadena, sello=sello,
                           url_verificacion=self.url_verificacion(folio))
        firmado = firmar_pdf(pdf, self.claves, folio=folio, cadena=cadena, sello=sello)

        destino = self.salida / nombre_documento(doc.tipo, folio)
        self.salida.mkdir(parents=True, exist_ok=True)
        # Write then rename so nobody ever serves a half-written PDF.
        fd, temporal = tempfile.mkstemp(dir=self.salida, prefix=".emitiendo-", suffix=".pdf")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(firmado)
            os.replace(temporal, destino)
        except BaseException:
            Path(temporal).unlink(missing_ok=True)
            raise
        registro = RegistroFolio(folio=folio, tipo=doc.tipo, fecha=fecha, cadena_sha256=huella_cadena(cadena),
                                 sello=sello, clave=huella)
        try:
            self.folios.registrar(registro)
        except FolioDuplicado:
            # Another worker issued for the same key meanwhile: its document is the one.
            previo = self._ya_emitido(huella)
            if previo is None:
                raise
            destino.unlink(missing_ok=True)
            return previo
        filename = _nombre_archivo(nombre_archivo) if nombre_archivo else destino.name
        return DocumentoEmitido(folio=folio, path=destino, filename=filename, mime=MIME_PDF,
                                cadena_original=cadena, sello=sello, fecha=fecha)

    def _ya_emitido(self, huella: str | None) -> DocumentoEmitido | None:
        """The document issued before for that key hash, read back from its record and its PDF."""
        registro = self.folios.buscar_clave(huella) if huella else None
        if registro is None:
            return None
        destino = self.salida / nombre_documento(registro.tipo, registro.folio)
        cadena = cadena_del_pdf(destino.read_bytes()) if destino.exists() else None
        return DocumentoEmitido(folio=registro.folio, path=destino, filename=destino.name, mime=MIME_PDF,
                                cadena_original=cadena or "", sello=registro.sello, fecha=registro.fecha)
