"""`asistente efirma …`: inspect a SAT e.firma (.cer, optionally its .key) from the command line."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from tramites.efirma import CertificadoEfirma

__all__ = ["app", "inspeccionar"]

app = typer.Typer(help="Revisa archivos de e.firma (FIEL) del SAT.", no_args_is_help=True)

_ETIQUETAS = {
    "rfc": "RFC",
    "curp": "CURP",
    "nombre": "Nombre",
    "persona": "Persona",
    "rfc_representante": "RFC del representante",
    "curp_representante": "CURP del representante",
    "tipo": "Tipo",
    "numero_certificado": "Número de certificado",
    "valido_desde": "Válido desde",
    "valido_hasta": "Válido hasta",
    "emisor": "Emisor",
    "correo": "Correo",
    "sucursal": "Sucursal (OU)",
    "vigente": "Vigente",
    "emisor_confiable": "Emisor confiable",
    "llave_corresponde": "La llave corresponde",
}


@app.callback()
def _grupo() -> None:
    """Herramientas para la e.firma (FIEL) del SAT."""


def _fallar(mensaje: str, detalle: str | None = None) -> typer.Exit:
    typer.echo(mensaje, err=True)
    if detalle:
        typer.echo(detalle, err=True)
    return typer.Exit(code=1)


def _leer(ruta: Path, limite: int) -> bytes:
    if not ruta.is_file():
        raise _fallar(f"No encontré el archivo {ruta}. Revisa la ruta e inténtalo de nuevo.")
    with ruta.open("rb") as archivo:
        # Read one byte past the limit so the size check fires without loading a huge file.
        return archivo.read(limite + 1)


def _instante(fecha: str | None) -> datetime:
    from tramites.efirma import zona_mexico

    if fecha is None:
        return datetime.now(zona_mexico())
    try:
        dia = date.fromisoformat(fecha)
    except ValueError:
        raise _fallar("La fecha debe tener el formato AAAA-MM-DD, por ejemplo 2024-01-31.") from None
    return datetime(dia.year, dia.month, dia.day, tzinfo=zona_mexico())


def _leer_contrasena(desde_stdin: bool) -> str:
    if desde_stdin:
        linea = typer.get_text_stream("stdin").readline()
        return linea.rstrip("\r\n")
    valor: str = typer.prompt("Contraseña de la llave privada", hide_input=True)
    return valor


def _mostrar_tabla(datos: dict[str, Any], cert: CertificadoEfirma, ahora: datetime) -> None:
    from rich.console import Console
    from rich.table import Table

    from tramites.efirma import formatear_fecha_hora

    tabla = Table(title=f"e.firma de {cert.nombre}", show_header=True)
    tabla.add_column("Dato")
    tabla.add_column("Valor")
    for clave, valor in datos.items():
        if valor is None:
            continue
        if clave in ("valido_desde", "valido_hasta"):
            texto = formatear_fecha_hora(getattr(cert, clave))
        elif isinstance(valor, bool):
            texto = "sí" if valor else "no"
            if clave == "vigente":
                texto += f" (al {formatear_fecha_hora(ahora)})"
        else:
            texto = str(valor)
        tabla.add_row(_ETIQUETAS.get(clave, clave), texto)
    Console().print(tabla)


@app.command()
def inspeccionar(
    certificado: Annotated[
        Path, typer.Argument(metavar="FILE.cer", help="Certificado de la e.firma (.cer, DER o PEM).")
    ],
    key: Annotated[
        Path | None,
        typer.Option(
            "--key", metavar="FILE.key", help="Llave privada (.key) para comprobar que es del certificado."
        ),
    ] = None,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin", help="Lee la contraseña de la llave de la entrada estándar (una línea)."
        ),
    ] = False,
    como_json: Annotated[bool, typer.Option("--json", help="Imprime JSON en lugar de una tabla.")] = False,
    fecha: Annotated[
        str | None,
        typer.Option(
            "--fecha", metavar="AAAA-MM-DD", help="Fecha para decir si está vigente (hoy si no la das)."
        ),
    ] = None,
    ca_dir: Annotated[
        Path | None,
        typer.Option(
            "--ca-dir", help="Carpeta con los certificados de las AC del SAT para comprobar el emisor."
        ),
    ] = None,
) -> None:
    """Muestra RFC, CURP, nombre, tipo (FIEL/CSD), número de certificado y vigencia de una e.firma."""
    from tramites.efirma import (
        LIMITE_BYTES,
        AlmacenConfianza,
        ConfiguracionEfirmaInvalida,
        EfirmaError,
        EmisorNoConfiable,
        abrir_llave,
        leer_certificado,
        llave_corresponde,
    )

    ahora = _instante(fecha)
    cer_bytes = _leer(certificado, LIMITE_BYTES)
    key_bytes = _leer(key, LIMITE_BYTES) if key is not None else None
    try:
        cert = leer_certificado(cer_bytes)
        datos: dict[str, Any] = dict(cert.como_dict())
        datos["vigente"] = cert.vigente(ahora)
        if ca_dir is not None:
            almacen = AlmacenConfianza.desde_directorio(ca_dir)
            try:
                almacen.verificar_cadena(cert.objeto_x509(), ahora)
                datos["emisor_confiable"] = True
            except EmisorNoConfiable:
                datos["emisor_confiable"] = False
        if key_bytes is not None:
            contrasena = _leer_contrasena(password_stdin)
            llave = abrir_llave(key_bytes, contrasena)
            datos["llave_corresponde"] = llave_corresponde(cert, llave)
    except ConfiguracionEfirmaInvalida as error:
        raise _fallar(error.mensaje, error.detalle) from None
    except EfirmaError as error:
        raise _fallar(error.mensaje) from None

    if como_json:
        typer.echo(json.dumps(datos, ensure_ascii=False, indent=2))
    else:
        _mostrar_tabla(datos, cert, ahora)
