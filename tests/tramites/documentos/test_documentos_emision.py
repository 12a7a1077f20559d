"""Issuing a PDF: what the person gets and what the PDF carries."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pypdf

from tramites.documentos import (
    FOLIO_PATRON,
    ClavesInstitucion,
    Documento,
    DocumentoEmitido,
    Emisor,
    MemoriaRegistroFolios,
    Tabla,
    huella_cadena,
    parsear_cadena,
    verificar_pdf,
)


def _texto(path: Path) -> str:
    lector = pypdf.PdfReader(path)
    return "\n".join(pagina.extract_text() for pagina in lector.pages)


def test_pdf_lleva_titulo_campos_folio_y_acentos(emitido: DocumentoEmitido, documento: Documento) -> None:
    texto = _texto(emitido.path)
    assert "Instituto Mexicano del Seguro Social — IMSS Digital" in texto
    assert documento.titulo in texto
    for etiqueta, valor in documento.campos:
        assert etiqueta in texto
        assert valor in texto
    for fila in documento.tablas[0].filas:
        for celda in fila:
            assert celda in texto
    assert documento.notas[0] in texto
    assert f"Folio: {emitido.folio}" in texto
    assert "Fecha de emisión: 15/01/2026 10:30:05" in texto
    for letra in "áéíóúñüÑ¿¡":
        assert letra in texto
    plano = texto.replace("\n", "")
    assert f"https://imss.example.mx/verificar/{emitido.folio}" in plano
    assert emitido.sello[:40] in plano


def test_documento_emitido(emitido: DocumentoEmitido, emisor: Emisor, folios: MemoriaRegistroFolios,
                           reloj: Callable[[], datetime]) -> None:
    assert FOLIO_PATRON.match(emitido.folio)
    assert emitido.folio.startswith("IMSS-20260115-")
    assert emitido.fecha == reloj().replace(microsecond=0)
    assert emitido.fecha.isoformat() == "2026-01-15T10:30:05-06:00"
    assert emitido.filename == "constancia_vigencia.pdf"
    assert emitido.mime == "application/pdf"
    assert emitido.path.parent == emisor.salida and emitido.path.exists()
    assert emitido.path.read_bytes().startswith(b"%PDF-")
    assert not list(emisor.salida.glob(".emitiendo-*"))
    registro = folios.buscar(emitido.folio)
    assert registro is not None
    assert registro.cadena_sha256 == huella_cadena(emitido.cadena_original)
    assert registro.sello == emitido.sello and registro.tipo == "constancia_vigencia"


def test_cadena_y_sello_embebidos(emitido: DocumentoEmitido, claves: ClavesInstitucion) -> None:
    info = pypdf.PdfReader(emitido.path).metadata
    assert info is not None
    assert str(info["/IMSSCadenaOriginal"]) == emitido.cadena_original
    assert str(info["/IMSSSelloDigital"]) == emitido.sello
    assert str(info["/IMSSFolio"]) == emitido.folio
    assert claves.verificar_sello(emitido.cadena_original, emitido.sello)
    assert parsear_cadena(emitido.cadena_original).folio == emitido.folio


def test_firma_pades_certificada_sobre_todo_el_archivo(emitido: DocumentoEmitido,
                                                        claves: ClavesInstitucion) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    firmas = PdfFileReader(io.BytesIO(emitido.path.read_bytes())).embedded_signatures
    assert len(firmas) == 1
    assert firmas[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    estado = validate_pdf_signature(
        firmas[0], ValidationContext(trust_roots=[claves.certificado_asn1()], allow_fetching=False))
    assert estado.intact and estado.valid and estado.trusted
    assert estado.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert firmas[0].docmdp_level == MDPPerm.NO_CHANGES


def test_folios_distintos_y_nombres_seguros(emisor: Emisor, documento: Documento) -> None:
    a = emisor.emitir(documento, "../../etc/passwd")
    b = emisor.emitir(documento, "mi comprobante")
    assert a.folio != b.folio
    assert a.path.parent == emisor.salida and a.filename == "passwd.pdf"
    assert b.filename == "mi_comprobante.pdf"


def test_documento_largo_ocupa_varias_paginas_y_verifica(emisor: Emisor, claves: ClavesInstitucion,
                                                         folios: MemoriaRegistroFolios) -> None:
    filas = [[f"Patrón número {i} S.A. de C.V.", f"Y{i:010d}", "01/01/2000", "31/12/2001", "$ 1,234.56"]
             for i in range(150)]
    doc = Documento(
        tipo="reporte_semanas", titulo="Reporte de Semanas Cotizadas",
        campos=[("Semanas cotizadas", "1,234"), ("Semanas descontadas", "0")],
        tablas=[Tabla("Historial laboral", ["Patrón", "Registro patronal", "Alta", "Baja", "Salario base"],
                      filas)],
    )
    emitido = emisor.emitir(doc, "semanas.pdf")
    lector = pypdf.PdfReader(emitido.path)
    assert len(lector.pages) > 3
    ok = verificar_pdf(emitido.path.read_bytes(), claves, folios)
    assert ok.documento.tablas[0].filas[149][0] == "Patrón número 149 S.A. de C.V."


def test_caracteres_fuera_de_winansi_no_rompen_el_pdf(emisor: Emisor, claves: ClavesInstitucion,
                                                      folios: MemoriaRegistroFolios) -> None:
    doc = Documento(tipo="t", titulo="Prueba", campos=[("Nombre", "Zoë Łukasz → 日本")])
    emitido = emisor.emitir(doc, "x.pdf")
    assert "Zoë Lukasz" in _texto(emitido.path)
    # The cadena keeps the exact data even when the font cannot draw it.
    assert verificar_pdf(emitido.path.read_bytes(), claves, folios).campos["Nombre"] == "Zoë Łukasz → 日本"


def test_funciona_dentro_de_un_bucle_de_eventos(emisor: Emisor, documento: Documento,
                                                claves: ClavesInstitucion,
                                                folios: MemoriaRegistroFolios) -> None:
    async def accion() -> str:
        emitido = emisor.emitir(documento, "desde_async.pdf")
        return verificar_pdf(emitido.path.read_bytes(), claves, folios).folio

    assert FOLIO_PATRON.match(asyncio.run(accion()))


def test_emitir_es_rapido(emisor: Emisor, documento: Documento) -> None:
    emisor.emitir(documento, "calentar.pdf")  # first call pays the imports
    inicio = time.perf_counter()
    for _ in range(5):
        emisor.emitir(documento, "x.pdf")
    promedio = (time.perf_counter() - inicio) / 5
    assert promedio < 1.0, f"{promedio:.3f} s por documento"
