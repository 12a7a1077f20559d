"""PDF layout of issued documents (reportlab platypus, built-in Helvetica with WinAnsi encoding)."""

from __future__ import annotations

import io
import itertools
import textwrap
import unicodedata
from datetime import datetime
from xml.sax.saxutils import escape

import numpy
import zxingcpp
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Preformatted,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from tramites.documentos.modelo import Documento

__all__ = ["ENCABEZADO", "componer_pdf", "texto_pdf"]

ENCABEZADO = "Instituto Mexicano del Seguro Social — IMSS Digital"
_VERDE = colors.HexColor("#13322B")
_DORADO = colors.HexColor("#B38E5D")
_GRIS = colors.HexColor("#F2F2F2")

# Letters that NFKD does not decompose into a base letter plus accent.
_TRANSLITERACION = {
    "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "→": "->", "←": "<-",
}

_BASE = ParagraphStyle("base", fontName="Helvetica", fontSize=10, leading=13)
_ESTILOS = {
    "titulo": ParagraphStyle("titulo", parent=_BASE, fontName="Helvetica-Bold", fontSize=15, leading=19,
                             textColor=_VERDE, spaceAfter=10),
    "subtitulo": ParagraphStyle("subtitulo", parent=_BASE, fontName="Helvetica-Bold", fontSize=11,
                                textColor=_VERDE, spaceBefore=10, spaceAfter=4),
    "etiqueta": ParagraphStyle("etiqueta", parent=_BASE, fontName="Helvetica-Bold", fontSize=9.5),
    "valor": ParagraphStyle("valor", parent=_BASE, fontSize=9.5),
    "celda": ParagraphStyle("celda", parent=_BASE, fontSize=8.5, leading=10.5),
    "celda_titulo": ParagraphStyle("celda_titulo", parent=_BASE, fontName="Helvetica-Bold", fontSize=8.5,
                                   leading=10.5, textColor=colors.white),
    "nota": ParagraphStyle("nota", parent=_BASE, fontSize=9, leading=11.5, leftIndent=10, bulletIndent=0),
    "pie_etiqueta": ParagraphStyle("pie_etiqueta", parent=_BASE, fontName="Helvetica-Bold", fontSize=7.5,
                                   leading=9),
    "pie": ParagraphStyle("pie", parent=_BASE, fontName="Courier", fontSize=6.3, leading=7.6,
                          splitLongWords=True),
}


def texto_pdf(texto: str) -> str:
    """Text that the built-in fonts can show: WinAnsi (cp1252) kept, other letters lose their marks."""
    try:
        texto.encode("cp1252")
        return texto  # nearly always: one call instead of one per character
    except UnicodeEncodeError:
        pass
    salida: list[str] = []
    for c in texto:
        try:
            c.encode("cp1252")
            salida.append(c)
            continue
        except UnicodeEncodeError:
            pass
        base = _TRANSLITERACION.get(c) or "".join(
            x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
        try:
            base.encode("cp1252")
            salida.append(base)
        except UnicodeEncodeError:
            salida.append("?")
    return "".join(salida)


def _p(texto: str, estilo: str) -> Paragraph:
    return Paragraph(escape(texto_pdf(texto)), _ESTILOS[estilo])


class _CodigoQr(Flowable):
    """The verification URL as a QR code, encoded once and drawn as one filled path of module runs.

    reportlab's QrCodeWidget encodes again (trying all eight masks, in pure Python) and builds a shape per
    run every time it is drawn; zxing-cpp encodes in C++ and a table draws its cells more than once, so
    this is many times faster.
    """

    _BORDE = 2

    def __init__(self, url: str, lado: float) -> None:
        super().__init__()
        simbolo = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="L")
        imagen = simbolo.to_image(scale=1, add_quiet_zones=False)
        # One pixel per module; 0 is a dark module.
        self.modulos = [[pixel == 0 for pixel in fila] for fila in numpy.asarray(imagen).tolist()]
        self.lado = lado

    def wrap(self, _ancho: float, _alto: float) -> tuple[float, float]:
        return self.lado, self.lado

    def draw(self) -> None:
        n = len(self.modulos) + 2 * self._BORDE
        paso = self.lado / n
        trazo = self.canv.beginPath()
        for r, fila in enumerate(self.modulos):
            y = self.lado - (r + self._BORDE + 1) * paso
            c = 0
            for oscuro, grupo in itertools.groupby(fila):
                cuenta = len(list(grupo))
                if oscuro:
                    trazo.rect((c + self._BORDE) * paso, y, cuenta * paso, paso)
                c += cuenta
        self.canv.saveState()
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(trazo, stroke=0, fill=1)
        self.canv.restoreState()


#: Cell padding of reportlab's tables (left + right), which a one-line cell must fit within.
_RELLENO_CELDA = 12.0


def _celda(texto: str, estilo: str, ancho: float) -> str | Paragraph:
    """A table cell: the plain text when it fits on one line, else a wrapping paragraph.

    Parsing and breaking a Paragraph is most of the layout time, and most cells are one short line; the
    table draws a plain string with the same font, set per column in its style.
    """
    plano = texto_pdf(texto)
    e = _ESTILOS[estilo]
    if "\n" not in plano and stringWidth(plano, e.fontName, e.fontSize) <= ancho - _RELLENO_CELDA:
        return plano
    return Paragraph(escape(plano), e)


def _fuente(estilo: str, celdas: tuple[tuple[int, int], tuple[int, int]]) -> list[tuple[object, ...]]:
    """Table style commands that give plain-string cells the font, size and colour of `estilo`."""
    e = _ESTILOS[estilo]
    desde, hasta = celdas
    return [
        ("FONT", desde, hasta, e.fontName, e.fontSize, e.leading),
        ("TEXTCOLOR", desde, hasta, e.textColor),
    ]


def _monoespaciado(etiqueta: str, texto: str, ancho: float) -> list[Flowable]:
    """A label and a long monospaced text (cadena, sello), wrapped by character count.

    Courier's characters all have the same width, so the lines are cut here instead of by the
    paragraph's word splitting, which measured the 1,500-character cadena letter by letter. The label
    stays with the first lines; the rest may continue on the next page.
    """
    estilo = _ESTILOS["pie"]
    por_linea = max(20, int(ancho // stringWidth("M", estilo.fontName, estilo.fontSize)))
    lineas = textwrap.wrap(texto_pdf(texto), por_linea, break_long_words=True, break_on_hyphens=False)
    inicio, resto = lineas[:3], lineas[3:]
    primeras = Preformatted("\n".join(inicio), estilo)
    bloque: list[Flowable] = [KeepTogether([_p(etiqueta, "pie_etiqueta"), primeras])]
    if resto:
        bloque.append(Preformatted("\n".join(resto), estilo))
    return bloque


def _qr(url: str, lado: float) -> Flowable:
    return _CodigoQr(url, lado)


def _tabla_campos(campos: list[tuple[str, str]], ancho: float) -> Table:
    anchos = [ancho * 0.34, ancho * 0.66]
    filas = [[_celda(k, "etiqueta", anchos[0]), _celda(v, "valor", anchos[1])] for k, v in campos]
    tabla = Table(filas, colWidths=anchos)
    tabla.setStyle(TableStyle([
        *_fuente("etiqueta", ((0, 0), (0, -1))),
        *_fuente("valor", ((1, 0), (1, -1))),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (0, -1), _GRIS),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.lightgrey),
        ("BOX", (0, 0), (-1, -1), 0.6, _VERDE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return tabla


def _anchos(columnas: list[str], filas: list[list[str]], ancho: float) -> list[float]:
    """Column widths that follow the content: short columns (dates, numbers) give room to long ones."""
    n = max(len(columnas), 1)
    relleno = 14.0  # cell padding plus a little air
    minimos: list[float] = []
    naturales: list[float] = []
    for i, columna in enumerate(columnas):
        celdas = [(columna, "Helvetica-Bold")] + [(f[i], "Helvetica") for f in filas if i < len(f)]
        palabras = [stringWidth(w, fuente, 8.5) for t, fuente in celdas for w in texto_pdf(t).split()] or [0]
        minimos.append(max(palabras) + relleno)
        naturales.append(max(stringWidth(texto_pdf(t), fuente, 8.5) for t, fuente in celdas) + relleno)
    if sum(minimos) > ancho:
        return [ancho / n] * n
    if sum(naturales) <= ancho:
        return [w * ancho / sum(naturales) for w in naturales]
    # Every column keeps its longest word; the rest of the width goes to the columns that need wrapping.
    holgura = [nat - m for nat, m in zip(naturales, minimos, strict=True)]
    resto = ancho - sum(minimos)
    return [m + resto * h / sum(holgura) for m, h in zip(minimos, holgura, strict=True)]


def _tabla_datos(columnas: list[str], filas: list[list[str]], ancho: float) -> Table:
    if not filas:
        filas = [["Sin registros"] + ["" for _ in columnas[1:]]]
        anchos = [ancho / max(len(columnas), 1)] * max(len(columnas), 1)
    else:
        anchos = _anchos(columnas, filas, ancho)
    datos: list[list[str | Paragraph]] = [
        [_celda(c, "celda_titulo", w) for c, w in zip(columnas, anchos, strict=False)]
    ]
    datos += [[_celda(c, "celda", w) for c, w in zip(fila, anchos, strict=False)] for fila in filas]
    tabla = Table(datos, colWidths=anchos, repeatRows=1)
    estilo = [
        *_fuente("celda_titulo", ((0, 0), (-1, 0))),
        *_fuente("celda", ((0, 1), (-1, -1))),
        ("BACKGROUND", (0, 0), (-1, 0), _VERDE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.lightgrey),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    estilo += [("BACKGROUND", (0, i), (-1, i), _GRIS) for i in range(2, len(datos), 2)]
    tabla.setStyle(TableStyle(estilo))
    return tabla


def componer_pdf(
    doc: Documento, *, folio: str, fecha: datetime, cadena: str, sello: str, url_verificacion: str
) -> bytes:
    """Lay out a document with its folio, cadena original, sello digital and QR; returns PDF bytes."""
    buffer = io.BytesIO()
    plantilla = SimpleDocTemplate(
        buffer, pagesize=letter, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2.6 * cm,
        bottomMargin=2 * cm, title=texto_pdf(doc.titulo), author="IMSS Digital",
        subject=f"{texto_pdf(doc.titulo)} — folio {folio}", creator="Asistente IMSS Digital",
        keywords=f"IMSS, {doc.tipo}, {folio}",
    )
    ancho = plantilla.width

    def encabezado_y_pie(canvas: Canvas, _plantilla: SimpleDocTemplate) -> None:
        alto = letter[1]
        canvas.saveState()
        canvas.setFillColor(_VERDE)
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(2 * cm, alto - 1.5 * cm, ENCABEZADO)
        canvas.setStrokeColor(_DORADO)
        canvas.setLineWidth(1.2)
        canvas.line(2 * cm, alto - 1.75 * cm, letter[0] - 2 * cm, alto - 1.75 * cm)
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(2 * cm, 1.2 * cm, f"Folio {folio}")
        canvas.drawRightString(letter[0] - 2 * cm, 1.2 * cm, f"Página {canvas.getPageNumber()}")
        canvas.restoreState()

    historia: list[Flowable] = [_p(doc.titulo, "titulo")]
    if doc.campos:
        historia.append(_tabla_campos(doc.campos, ancho))
    for tabla in doc.tablas:
        historia.append(_p(tabla.titulo, "subtitulo"))
        historia.append(_tabla_datos(tabla.columnas, tabla.filas, ancho))
    if doc.notas:
        historia.append(Spacer(1, 8))
        historia += [Paragraph(escape(texto_pdf(n)), _ESTILOS["nota"], bulletText="•") for n in doc.notas]
    for etiqueta, valor in doc.firmas:
        historia.append(_p(etiqueta, "subtitulo"))
        historia.append(_p(valor, "pie"))

    fecha_txt = fecha.strftime("%d/%m/%Y %H:%M:%S") + f" ({fecha.isoformat(timespec='seconds')})"
    izquierda: list[Flowable] = [
        _p(f"Folio: {folio}", "pie_etiqueta"),
        _p(f"Fecha de emisión: {fecha_txt}", "pie_etiqueta"),
        Spacer(1, 4),
        _p(f"Verifica este documento en {url_verificacion} o escaneando el código QR. "
           f"El archivo lleva firma electrónica avanzada: cualquier cambio la invalida.", "valor"),
    ]
    lado_qr = 3.2 * cm
    pie = Table([[izquierda, _qr(url_verificacion, lado_qr)]],
                colWidths=[ancho - lado_qr - 0.4 * cm, lado_qr + 0.4 * cm])
    pie.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEABOVE", (0, 0), (-1, 0), 1, _DORADO),
        ("LEFTPADDING", (0, 0), (0, 0), 0),
        ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
    ]))
    # Cadena and sello go outside the table: long cadenas must be able to break across pages.
    historia += [
        Spacer(1, 14),
        pie,
        Spacer(1, 4),
        *_monoespaciado("Cadena original:", cadena, ancho),
        Spacer(1, 3),
        *_monoespaciado("Sello digital del IMSS Digital:", sello, ancho),
    ]
    plantilla.build(historia, onFirstPage=encabezado_y_pie, onLaterPages=encabezado_y_pie)
    return buffer.getvalue()
