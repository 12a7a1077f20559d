"""PAdES signature of issued PDFs, with the cadena original and sello embedded in the document info."""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from tramites.documentos.claves import ClavesInstitucion

__all__ = [
    "CAMPO_FIRMA",
    "INFO_CADENA",
    "INFO_FOLIO",
    "INFO_SELLO",
    "INFO_VERSION",
    "cadena_del_pdf",
    "firmar_pdf",
    "fuera_del_bucle",
]

CAMPO_FIRMA = "SelloIMSSDigital"
INFO_FOLIO = "/IMSSFolio"
INFO_CADENA = "/IMSSCadenaOriginal"
INFO_SELLO = "/IMSSSelloDigital"
INFO_VERSION = "/IMSSVersionSello"

T = TypeVar("T")


def fuera_del_bucle(funcion: Callable[[], T]) -> T:
    """Run `funcion` (pyHanko's sync API calls asyncio.run) even when called from inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return funcion()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as hilo:
        return hilo.submit(funcion).result()


_bucle: asyncio.AbstractEventLoop | None = None
_bucle_guardia = threading.Lock()
_local = threading.local()


def en_bucle_de_firma(corrutina: Coroutine[Any, Any, T]) -> T:
    """Run one of pyHanko's coroutines to completion from synchronous code, in or out of an event loop.

    Without a running loop in this thread (actions run in worker threads), a loop kept per thread runs
    it right here: handing it to another thread cost more than the signature. Inside a running loop it
    goes to the signing thread's loop, started on first use.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        propio: asyncio.AbstractEventLoop | None = getattr(_local, "bucle", None)
        if propio is None or propio.is_closed():
            propio = _local.bucle = asyncio.new_event_loop()
        return propio.run_until_complete(corrutina)
    global _bucle
    with _bucle_guardia:
        if _bucle is None:
            _bucle = asyncio.new_event_loop()
            threading.Thread(target=_bucle.run_forever, name="firma-pades", daemon=True).start()
    return asyncio.run_coroutine_threadsafe(corrutina, _bucle).result()


def firmar_pdf(pdf: bytes, claves: ClavesInstitucion, *, folio: str, cadena: str, sello: str) -> bytes:
    """Embed folio, cadena and sello in the document info and add a certifying PAdES signature."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
    from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

    escritor = IncrementalPdfFileWriter(io.BytesIO(pdf))
    info_ref = escritor.trailer.raw_get("/Info")
    info = info_ref.get_object()
    info[generic.NameObject(INFO_VERSION)] = generic.TextStringObject("1")
    info[generic.NameObject(INFO_FOLIO)] = generic.TextStringObject(folio)
    info[generic.NameObject(INFO_CADENA)] = generic.TextStringObject(cadena)
    info[generic.NameObject(INFO_SELLO)] = generic.TextStringObject(sello)
    escritor.mark_update(info_ref)

    metadatos = PdfSignatureMetadata(
        field_name=CAMPO_FIRMA,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=f"Sello digital del IMSS Digital, folio {folio}",
        location="México",
        name=claves.nombre,
        # A certification signature that allows no changes: readers flag any later edit.
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    firmante = PdfSigner(metadatos, signer=claves.signer())
    salida = io.BytesIO()
    en_bucle_de_firma(firmante.async_sign_pdf(escritor, bytes_reserved=claves.espacio_firma(), output=salida))
    return salida.getvalue()


def cadena_del_pdf(pdf: bytes) -> str | None:
    """The cadena original embedded in a PDF we issued (document info), or None when it has none."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        valor = PdfFileReader(io.BytesIO(pdf), strict=False).trailer["/Info"].get(INFO_CADENA)
    except Exception:
        return None
    return str(valor) if valor is not None else None
