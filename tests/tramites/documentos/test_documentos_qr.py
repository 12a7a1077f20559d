"""The QR code on an issued PDF decodes, as a phone would read it, to the verification URL."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import zxingcpp

from tramites.documentos import Emisor
from tramites.documentos.modelo import Documento


def test_the_qr_on_the_page_opens_the_verification_page_of_its_folio(emisor: Emisor, tmp_path: Path) -> None:
    emitido = emisor.emitir(Documento(tipo="prueba", titulo="Prueba", campos=[("Nombre", "Ana López")]))
    page = pypdfium2.PdfDocument(emitido.path.read_bytes())[0]
    image = page.render(scale=3).to_pil()
    codes = zxingcpp.read_barcodes(image)
    assert [c.text for c in codes if c.format == zxingcpp.BarcodeFormat.QRCode] == [
        emisor.url_verificacion(emitido.folio)
    ]
