"""Verifying a PDF: issued by us and untouched, or a Spanish reason why not."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tramites.documentos import (
    ClavesInstitucion,
    Documento,
    DocumentoEmitido,
    DocumentoNoValido,
    Emisor,
    MemoriaRegistroFolios,
    RegistroFolio,
    huella_cadena,
    verificar_pdf,
)
from tramites.documentos.firma import firmar_pdf
from tramites.documentos.pdf import componer_pdf

URL = "https://otro.example.mx"
FECHA = datetime(2026, 1, 15, 10, 30, 5, tzinfo=timezone(timedelta(hours=-6)))


def _rechazo(data: bytes, claves: ClavesInstitucion, folios: MemoriaRegistroFolios) -> DocumentoNoValido:
    with pytest.raises(DocumentoNoValido) as e:
        verificar_pdf(data, claves, folios)
    return e.value


def test_acepta_un_documento_emitido(emitido: DocumentoEmitido, documento: Documento,
                                     claves: ClavesInstitucion, folios: MemoriaRegistroFolios) -> None:
    ok = verificar_pdf(emitido.path.read_bytes(), claves, folios)
    assert ok.folio == emitido.folio
    assert ok.tipo == "constancia_vigencia"
    assert ok.titulo == documento.titulo
    assert ok.fecha == emitido.fecha
    assert ok.campos == dict(documento.campos)
    assert ok.cadena == emitido.cadena_original
    assert ok.documento.tablas == documento.tablas


def _rango_contenido_pagina(data: bytes) -> tuple[int, int]:
    """Byte range of the first page's content stream data."""
    lector = pypdf.PdfReader(io.BytesIO(data))
    contenido = lector.pages[0].get("/Contents")
    assert isinstance(contenido, pypdf.generic.IndirectObject)
    inicio_obj = re.search(rb"(?<![0-9])%d 0 obj" % contenido.idnum, data)
    assert inicio_obj is not None
    inicio = data.index(b"stream", inicio_obj.end()) + len(b"stream\n")
    fin = data.index(b"endstream", inicio)
    return inicio, fin


def test_rechaza_un_byte_cambiado_en_el_contenido(emitido: DocumentoEmitido, claves: ClavesInstitucion,
                                                 folios: MemoriaRegistroFolios) -> None:
    data = bytearray(emitido.path.read_bytes())
    inicio, fin = _rango_contenido_pagina(bytes(data))
    medio = (inicio + fin) // 2
    data[medio] ^= 0x01
    error = _rechazo(bytes(data), claves, folios)
    assert error.mensaje.startswith("El archivo fue modificado después de firmarse")
    assert error.motivo == "modificado"


def test_rechaza_cambiar_el_nss_en_los_datos_embebidos(emitido: DocumentoEmitido, claves: ClavesInstitucion,
                                                      folios: MemoriaRegistroFolios) -> None:
    data = emitido.path.read_bytes()
    assert data.count(b"72795608040") >= 1
    alterado = data.replace(b"72795608040", b"72795608041")
    assert _rechazo(alterado, claves, folios).motivo == "modificado"


def test_rechaza_una_actualizacion_incremental_agregada(emitido: DocumentoEmitido, claves: ClavesInstitucion,
                                                        folios: MemoriaRegistroFolios) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    escritor = IncrementalPdfFileWriter(io.BytesIO(emitido.path.read_bytes()))
    ref = escritor.trailer.raw_get("/Info")
    ref.get_object()[generic.NameObject("/Title")] = generic.TextStringObject("Constancia falsa")
    escritor.mark_update(ref)
    salida = io.BytesIO()
    escritor.write(salida)  # type: ignore[no-untyped-call]
    error = _rechazo(salida.getvalue(), claves, folios)
    assert error.mensaje.startswith("El archivo fue modificado después de firmarse")


def test_rechaza_una_segunda_firma_ajena_encima(emitido: DocumentoEmitido, claves: ClavesInstitucion,
                                                claves_ajenas: ClavesInstitucion,
                                                folios: MemoriaRegistroFolios,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, sign_pdf

    # pyHanko honours our "no changes" certification; a careless tool would not.
    monkeypatch.setattr(PdfSigner, "_enforce_certification_constraints", lambda self, reader: None)

    escritor = IncrementalPdfFileWriter(io.BytesIO(emitido.path.read_bytes()))
    salida = sign_pdf(escritor, PdfSignatureMetadata(field_name="Otra"), signer=claves_ajenas.signer())
    assert _rechazo(salida.getvalue(), claves, folios).motivo == "modificado"


def test_rechaza_la_firma_de_otra_clave(tmp_path: Path, documento: Documento, claves: ClavesInstitucion,
                                        claves_ajenas: ClavesInstitucion,
                                        folios: MemoriaRegistroFolios) -> None:
    # Same name on the certificate, same folio registry: only the key differs.
    falsificador = Emisor(claves_ajenas, folios, URL, tmp_path / "falsos")
    falso = falsificador.emitir(documento, "constancia.pdf")
    error = _rechazo(falso.path.read_bytes(), claves, folios)
    assert error.mensaje.startswith("La firma no es del IMSS Digital")
    assert error.motivo == "firma_ajena"


def test_rechaza_folio_desconocido(emitido: DocumentoEmitido, claves: ClavesInstitucion) -> None:
    error = _rechazo(emitido.path.read_bytes(), claves, MemoriaRegistroFolios())
    assert error.mensaje == f"El folio {emitido.folio} no existe en nuestros registros."
    assert error.motivo == "folio_desconocido"


def test_rechaza_si_el_registro_del_folio_no_coincide(emitido: DocumentoEmitido,
                                                      claves: ClavesInstitucion) -> None:
    otro = MemoriaRegistroFolios()
    otro.registrar(RegistroFolio(folio=emitido.folio, tipo="constancia_vigencia", fecha=emitido.fecha,
                                 cadena_sha256=huella_cadena("||otra cosa||"), sello=emitido.sello))
    assert _rechazo(emitido.path.read_bytes(), claves, otro).motivo == "no_coincide"


def _pdf_firmado(claves: ClavesInstitucion, cadena: str, sello: str) -> bytes:
    folio = "IMSS-20260115-AAAAAAAA"
    doc = Documento(tipo="t", titulo="Prueba", campos=[("A", "b")])
    pdf = componer_pdf(doc, folio=folio, fecha=FECHA, cadena=cadena, sello=sello,
                       url_verificacion=f"{URL}/verificar/{folio}")
    return firmar_pdf(pdf, claves, folio=folio, cadena=cadena, sello=sello)


def test_rechaza_sello_que_no_corresponde(claves: ClavesInstitucion, claves_ajenas: ClavesInstitucion,
                                          folios: MemoriaRegistroFolios) -> None:
    cadena = "||1|t|IMSS-20260115-AAAAAAAA|2026-01-15T10:30:05-06:00|Prueba|A=b||"
    data = _pdf_firmado(claves, cadena, claves_ajenas.sellar(cadena))
    assert _rechazo(data, claves, folios).motivo == "sello_invalido"


def test_rechaza_pdf_firmado_sin_cadena(claves: ClavesInstitucion, folios: MemoriaRegistroFolios) -> None:
    assert _rechazo(_pdf_firmado(claves, "", ""), claves, folios).motivo == "sin_sello"


def test_rechaza_pdf_sin_firma(claves: ClavesInstitucion, folios: MemoriaRegistroFolios) -> None:
    pdf = componer_pdf(Documento(tipo="t", titulo="Sin firma", campos=[]), folio="F", fecha=FECHA,
                       cadena="||x||", sello="x", url_verificacion=URL)
    error = _rechazo(pdf, claves, folios)
    assert error.mensaje.startswith("No tiene firma electrónica")


@pytest.mark.parametrize("data", [b"", b"hola", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, b"PK\x03\x04 %PDF"])
def test_rechaza_lo_que_no_es_pdf(data: bytes, claves: ClavesInstitucion,
                                  folios: MemoriaRegistroFolios) -> None:
    error = _rechazo(data, claves, folios)
    assert error.mensaje.startswith("El archivo no es un PDF")


def test_rechaza_pdf_truncado(emitido: DocumentoEmitido, claves: ClavesInstitucion,
                              folios: MemoriaRegistroFolios) -> None:
    data = emitido.path.read_bytes()
    for corte in (len(data) // 3, len(data) - 50):
        assert _rechazo(data[:corte], claves, folios).motivo in {"danado", "sin_firma", "modificado"}


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_basura_con_encabezado_pdf_no_truena(basura: bytes) -> None:
    claves = _CLAVES_BASURA
    with pytest.raises(DocumentoNoValido):
        verificar_pdf(b"%PDF-1.7\n" + basura, claves, MemoriaRegistroFolios())


_CLAVES_BASURA = ClavesInstitucion.generar()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(posicion=st.floats(0, 1, exclude_max=True), mascara=st.integers(1, 255))
def test_cualquier_byte_cambiado_se_detecta(posicion: float, mascara: int, emitido: DocumentoEmitido,
                                            claves: ClavesInstitucion, folios: MemoriaRegistroFolios) -> None:
    original = emitido.path.read_bytes()
    data = bytearray(original)
    i = int(posicion * len(data))
    data[i] ^= mascara
    # Bytes inside the signature's own /Contents placeholder are not signed (its zero padding may change).
    m = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", original)
    assert m is not None
    hueco = range(int(m.group(1)) + int(m.group(2)), int(m.group(3)))
    try:
        verificar_pdf(bytes(data), claves, folios)
    except DocumentoNoValido:
        return
    assert i in hueco, f"byte {i} cambiado y el documento sigue pareciendo válido"
