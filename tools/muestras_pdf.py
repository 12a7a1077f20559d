"""Issue one sample of every document type and render its first page to docs/muestras/<tipo>.png.

For reviewers: the PNGs show what a person receives in the chat, without running a conversation.
Documents are issued with the real issuer (folio, sello digital, QR, PAdES) on the demo registry, in a
temporary data folder that is deleted afterwards. Types whose builder does not exist yet are skipped
with a note.

    uv run python tools/muestras_pdf.py [--salida docs/muestras] [--dpi 150]
"""

from __future__ import annotations

import argparse
import importlib
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
    from tramites.documentos import Documento

__all__ = ["MUESTRAS", "Muestra", "NoDisponible", "main"]

EFIRMA_DIR = REPO / "tests" / "fixtures" / "efirma" / "satcfdi"
"""SAT test e.firma (persona física XIQB891116QE4) used to sign the sample acuse."""


class NoDisponible(Exception):
    """This document type cannot be issued yet; the message says why (in Spanish, for the README)."""


@dataclass(frozen=True)
class Muestra:
    """One sample: file name, what it shows, and how to build its document."""

    nombre: str
    descripcion: str
    fabricar: Callable[[Servicios], Documento]


def _persona(s: Servicios, indice: int) -> Any:
    from tramites.registro import PREDECIBLES

    persona = s.registro.persona_por_curp(PREDECIBLES[indice].curp)
    if persona is None:
        raise NoDisponible(f"la persona de demostración {indice} no está en el registro")
    return persona


def _comprobante_nss(s: Servicios) -> Documento:
    from tramites.comprobantes import comprobante_nss
    from tramites.nss import consultar_nss

    persona = _persona(s, 0)
    resultado = consultar_nss(s.registro, persona.curp, persona.email or "persona@example.com")
    return comprobante_nss(resultado.persona, resultado.nss, s.ahora())


def _constancia(indice: int) -> Callable[[Servicios], Documento]:
    def fabricar(s: Servicios) -> Documento:
        from tramites.reportes import constancia_vigencia
        from tramites.vigencia import consultar_vigencia

        persona = _persona(s, indice)
        vigencia = consultar_vigencia(s.registro, persona.curp, persona.nss, s.hoy())
        umf = s.registro.umf(vigencia.umf) if vigencia.umf is not None else None
        return constancia_vigencia(vigencia, s.ahora(), umf)

    return fabricar


def _reporte_semanas(s: Servicios) -> Documento:
    from tramites.reportes import reporte_semanas as documento
    from tramites.semanas import reporte_semanas

    persona = _persona(s, 2)
    return documento(persona, reporte_semanas(s.registro, persona, s.hoy()), s.ahora())


def _constructor(nombre: str, modulos: tuple[str, ...]) -> Callable[..., Documento]:
    """Find a builder that another trámite may add later, or say it does not exist yet."""
    for modulo in modulos:
        try:
            funcion = getattr(importlib.import_module(modulo), nombre, None)
        except ImportError:
            continue
        if callable(funcion):
            return funcion  # type: ignore[no-any-return]
    lugares = " ni en ".join(modulos)
    raise NoDisponible(f"todavía no existe `{nombre}` en {lugares}")


def _comprobante_umf(s: Servicios) -> Documento:
    comprobante_umf = _constructor("comprobante_umf", ("tramites.comprobantes_solicitudes",))
    from tramites.umf import buscar_clinicas, requisitos_clinica, solicitar_cambio_umf, turnos_de

    persona = _persona(s, 6)  # lives in CP 06760, which no clinic serves: offered the nearest ones
    cp = persona.cp or "06760"
    opciones = [u for u in buscar_clinicas(s.registro, cp).clinicas if u.numero != persona.umf]
    if not opciones:
        raise NoDisponible(f"no hay otra clínica cerca del CP {cp} para la muestra")
    umf = opciones[0]
    turno = turnos_de(umf)[0]
    domicilio = "Calle Durango 120, Col. Roma Norte, Cuauhtémoc"
    solicitud = solicitar_cambio_umf(s.registro, persona, umf, turno.clave, domicilio=domicilio, cp=cp,
                                     email=persona.email)
    return comprobante_umf(persona, umf, turno, solicitud, domicilio=domicilio, cp=cp,
                           requisitos=requisitos_clinica(), ahora=s.ahora())


def _comprobante_beneficiario(s: Servicios) -> Documento:
    comprobante = _constructor("comprobante_beneficiario", ("tramites.comprobantes_solicitudes",))
    from datetime import date

    from tramites.beneficiarios import registrar_beneficiario
    from tramites.registro import construir_curp

    titular = _persona(s, 0)
    nacimiento = date(2015, 9, 8)
    curp = construir_curp("Regina", "Castillo", "Hernández", nacimiento, "M", "DF")
    registro = registrar_beneficiario(s.registro, titular, "hijo", curp, "Regina Castillo Hernández", s.hoy(),
                                      fecha_nacimiento=nacimiento)
    return comprobante(titular, registro.beneficiario, registro.solicitud,
                       requisitos=registro.elegibilidad.requisitos, ahora=s.ahora())


def _acuse_cuenta(s: Servicios) -> Documento:
    acuse_cuenta = _constructor("acuse_cuenta", ("tramites.cuenta_efirma",))
    from tramites.cuenta_efirma import DatosCertificado, SolicitudCuenta
    from tramites.efirma import abrir_llave, firmar, leer_certificado, zona_mexico

    cer, key = EFIRMA_DIR / "xiqb891116qe4.cer", EFIRMA_DIR / "xiqb891116qe4.key"
    if not cer.is_file() or not key.is_file():
        raise NoDisponible(f"no encontré la e.firma de prueba del SAT en {EFIRMA_DIR}")
    certificado = leer_certificado(cer.read_bytes())
    llave = abrir_llave(key.read_bytes(), "12345678a")
    # The SAT test certificates expired in 2023: the sample is signed on a date inside their validity.
    solicitud = SolicitudCuenta(
        curp=certificado.curp or "XIQB891116MGRMZR05",
        rfc=certificado.rfc,
        email="persona@example.com",
        numero_certificado=certificado.numero_certificado,
        fecha=datetime(2022, 6, 1, 10, 30, tzinfo=zona_mexico()),
    )
    firma = firmar(llave, solicitud.cadena_original())
    return acuse_cuenta(solicitud, DatosCertificado.de_certificado(certificado), firma)


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

    from actions.servicios import configurar, configurar_desde_settings
    from bot.settings import Settings
    from tramites.documentos import verificar_pdf

    salida: Path = args.salida
    salida.mkdir(parents=True, exist_ok=True)
    generadas: list[tuple[Muestra, int]] = []
    omitidas: list[tuple[Muestra, str]] = []
    with tempfile.TemporaryDirectory(prefix="muestras-") as tmp:
        settings = Settings(_env_file=None, asistente_data_dir=Path(tmp), database_url=None)  # type: ignore[call-arg]
        s = configurar_desde_settings(settings)
        try:
            for muestra in MUESTRAS:
                try:
                    documento = muestra.fabricar(s)
                except NoDisponible as motivo:
                    omitidas.append((muestra, str(motivo)))
                    print(f"– {muestra.nombre}: omitida ({motivo})")
                    continue
                emitido = s.emisor.emitir(documento, f"{muestra.nombre}.pdf")
                # A sample that our own verifier rejects would mislead the reviewer.
                verificar_pdf(emitido.path.read_bytes(), s.emisor.claves, s.emisor.folios)
                paginas = renderizar(emitido.path, salida / f"{muestra.nombre}.png", args.dpi)
                generadas.append((muestra, paginas))
                print(f"✓ {muestra.nombre}.png ({paginas} página{'s' if paginas != 1 else ''})")
        finally:
            configurar(None)
    (salida / "README.md").write_text(_readme(generadas, omitidas, args.dpi), encoding="utf-8")
    print(f"{len(generadas)} muestras en {salida}; {len(omitidas)} pendientes.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
