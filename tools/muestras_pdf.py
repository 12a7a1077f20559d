"""Issue one sample of every document type and render its first page to docs/muestras/<tipo>.png.

For reviewers: the PNGs show what a person receives in the chat, without running a conversation.
Each document is issued by its trámite's use case with the real issuer (folio, sello digital, QR, PAdES)
on the demo registry, in a temporary data folder that is deleted afterwards. A sample that cannot be
issued here (the SAT test files are missing) is skipped with a note.

    uv run python tools/muestras_pdf.py [--salida docs/muestras] [--dpi 150]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    # Run as a script (`python tools/muestras_pdf.py`), the repository is not on the path by itself.
    sys.path.insert(0, str(REPO))

if TYPE_CHECKING:
    from actions.servicios import Servicios
    from tramites.documentos import DocumentoEmitido

__all__ = ["MUESTRAS", "Muestra", "NoDisponible", "main"]

EFIRMA_DIR = REPO / "tests" / "fixtures" / "efirma" / "satcfdi"
"""SAT test e.firma (persona física XIQB891116QE4) used to sign the sample acuse."""


class NoDisponible(Exception):
    """This document type cannot be issued yet; the message says why (in Spanish, for the README)."""


@dataclass(frozen=True)
class Muestra:
    """One sample: file name, what it shows, and the trámite's use case that issues it."""

    nombre: str
    descripcion: str
    emitir: Callable[[Servicios], DocumentoEmitido]


def _persona(s: Servicios, indice: int) -> Any:
    from tramites.registro import PREDECIBLES

    persona = s.registro.persona_por_curp(PREDECIBLES[indice].curp)
    if persona is None:
        raise NoDisponible(f"la persona de demostración {indice} no está en el registro")
    return persona


def _comprobante_nss(s: Servicios) -> DocumentoEmitido:
    from tramites.nss import consultar_nss

    persona = _persona(s, 0)
    return consultar_nss(s, persona.curp, persona.email or "persona@example.com").documento


def _constancia(indice: int) -> Callable[[Servicios], DocumentoEmitido]:
    def emitir(s: Servicios) -> DocumentoEmitido:
        from tramites.vigencia import emitir_constancia_vigencia

        persona = _persona(s, indice)
        return emitir_constancia_vigencia(s, persona.curp, persona.nss).documento

    return emitir


def _reporte_semanas(s: Servicios) -> DocumentoEmitido:
    from tramites.semanas import emitir_reporte_semanas

    persona = _persona(s, 2)
    return emitir_reporte_semanas(s, persona.curp, persona.nss).documento


def _comprobante_umf(s: Servicios) -> DocumentoEmitido:
    from tramites.umf import buscar_clinicas, solicitar_cambio_umf, turnos_de

    persona = _persona(s, 6)  # lives in CP 06760, which no clinic serves: offered the nearest ones
    cp = persona.cp or "06760"
    opciones = [u for u in buscar_clinicas(s.registro, cp).clinicas if u.numero != persona.umf]
    if not opciones:
        raise NoDisponible(f"no hay otra clínica cerca del CP {cp} para la muestra")
    umf = opciones[0]
    return solicitar_cambio_umf(
        s, persona.curp, umf.numero, turnos_de(umf)[0].clave,
        domicilio="Calle Durango 120, Col. Roma Norte, Cuauhtémoc", cp=cp, email=persona.email,
    ).documento


def _comprobante_beneficiario(s: Servicios) -> DocumentoEmitido:
    from datetime import date

    from tramites.beneficiarios import registrar_beneficiario
    from tramites.registro import construir_curp

    titular = _persona(s, 0)
    nacimiento = date(2015, 9, 8)
    curp = construir_curp("Regina", "Castillo", "Hernández", nacimiento, "M", "DF")
    return registrar_beneficiario(
        s, titular.curp, titular.nss, "hijo", curp, "Regina Castillo Hernández", fecha_nacimiento=nacimiento
    ).documento


def _acuse_cuenta(s: Servicios) -> DocumentoEmitido:
    from tramites.cuenta_efirma import DatosCertificado, FirmaHecha, SolicitudCuenta, abrir_cuenta
    from tramites.efirma import abrir_llave, firmar, leer_certificado, zona_mexico

    cer, key = EFIRMA_DIR / "xiqb891116qe4.cer", EFIRMA_DIR / "xiqb891116qe4.key"
    if not cer.is_file() or not key.is_file():
        raise NoDisponible(f"no encontré la e.firma de prueba del SAT en {EFIRMA_DIR}")
    certificado = DatosCertificado.de_certificado(leer_certificado(cer.read_bytes()))
    curp = certificado.curp or "XIQB891116MGRMZR05"
    # The SAT test certificates expired in 2023: the sample is signed on a date inside their validity.
    fecha = datetime(2022, 6, 1, 10, 30, tzinfo=zona_mexico())
    cadena = SolicitudCuenta.firmada_con(curp, "persona@example.com", certificado, fecha).cadena_original()
    sello = firmar(abrir_llave(key.read_bytes(), "12345678a"), cadena)
    firma = FirmaHecha(certificado=certificado, cadena=cadena, sello=sello, fecha=fecha)
    return abrir_cuenta(s, curp, "persona@example.com", firma).documento


MUESTRAS: tuple[Muestra, ...] = (
    Muestra("comprobante_nss", "Comprobante de Número de Seguridad Social (persona 0).", _comprobante_nss),
    Muestra(
        "constancia_vigencia_vigente",
        "Constancia de Vigencia de Derechos, VIGENTE: asegurada con empleo y tres beneficiarios (persona 0).",
        _constancia(0),
    ),
    Muestra(
        "constancia_vigencia_conservacion",
        "Constancia de Vigencia de Derechos, VIGENTE por conservación de derechos tras una baja (persona 1).",
        _constancia(1),
    ),
    Muestra(
        "constancia_vigencia_no_vigente",
        "Constancia de Vigencia de Derechos, NO VIGENTE: baja en 2021 (persona 2).",
        _constancia(2),
    ),
    Muestra(
        "reporte_semanas",
        "Reporte de Semanas Cotizadas con dos patrones y semanas descontadas y reintegradas (persona 2).",
        _reporte_semanas,
    ),
    Muestra(
        "comprobante_umf",
        "Comprobante de cambio de clínica (UMF) con turno y lo que hay que llevar (persona 6).",
        _comprobante_umf,
    ),
    Muestra(
        "comprobante_beneficiarios",
        "Comprobante de registro de beneficiario: una hija de la persona 0.",
        _comprobante_beneficiario,
    ),
    Muestra(
        "acuse_cuenta",
        "Acuse de apertura de cuenta en el Escritorio Virtual, firmado con la e.firma de prueba del SAT.",
        _acuse_cuenta,
    ),
)


def renderizar(pdf: Path, png: Path, dpi: int) -> int:
    """Render the first page of `pdf` to `png`; returns the PDF's page count."""
    import pypdfium2 as pdfium

    documento = pdfium.PdfDocument(str(pdf))
    try:
        pagina = documento[0]
        pagina.render(scale=dpi / 72).to_pil().save(png)
        return len(documento)
    finally:
        documento.close()


def _readme(generadas: list[tuple[Muestra, int]], omitidas: list[tuple[Muestra, str]], dpi: int) -> str:
    lineas = [
        "# Muestras de los documentos PDF",
        "",
        "Primera página de cada documento que emite el asistente, tal como lo recibe la persona en el chat.",
        "Se generan con los datos de demostración (ver `docs/registro.md`) y el emisor real: folio, cadena",
        "original, sello digital, código QR y firma PAdES. Los folios, fechas y sellos cambian cada vez.",
        "",
        f"Para regenerarlas: `uv run python tools/muestras_pdf.py` ({dpi} dpi).",
        "",
        "| Archivo | Documento | Páginas |",
        "|---|---|---|",
    ]
    lineas += [f"| [`{m.nombre}.png`]({m.nombre}.png) | {m.descripcion} | {n} |" for m, n in generadas]
    if omitidas:
        lineas += ["", "## Pendientes", ""]
        lineas += [f"- `{m.nombre}`: {m.descripcion} No se generó: {motivo}." for m, motivo in omitidas]
    return "\n".join(lineas) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Issue every sample, render the PNGs and write the README; returns the exit status."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--salida", type=Path, default=REPO / "docs" / "muestras")
    parser.add_argument("--dpi", type=int, default=150)
    args = parser.parse_args(argv)

    from bot.services import build_services
    from bot.settings import Settings
    from bot.store import create_db_engine, migrate
    from tramites.documentos import verificar_pdf

    salida: Path = args.salida
    salida.mkdir(parents=True, exist_ok=True)
    generadas: list[tuple[Muestra, int]] = []
    omitidas: list[tuple[Muestra, str]] = []
    with tempfile.TemporaryDirectory(prefix="muestras-") as tmp:
        settings = Settings(_env_file=None, asistente_data_dir=Path(tmp), database_url=None)  # type: ignore[call-arg]
        db = create_db_engine(settings.effective_database_url)
        migrate(db)
        s = build_services(settings, db)
        try:
            for muestra in MUESTRAS:
                try:
                    emitido = muestra.emitir(s)
                except NoDisponible as motivo:
                    omitidas.append((muestra, str(motivo)))
                    print(f"– {muestra.nombre}: omitida ({motivo})")
                    continue
                # A sample that our own verifier rejects would mislead the reviewer.
                verificar_pdf(emitido.path.read_bytes(), s.emisor.claves, s.emisor.folios)
                paginas = renderizar(emitido.path, salida / f"{muestra.nombre}.png", args.dpi)
                generadas.append((muestra, paginas))
                print(f"✓ {muestra.nombre}.png ({paginas} página{'s' if paginas != 1 else ''})")
        finally:
            db.dispose()
    (salida / "README.md").write_text(_readme(generadas, omitidas, args.dpi), encoding="utf-8")
    print(f"{len(generadas)} muestras en {salida}; {len(omitidas)} pendientes.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
