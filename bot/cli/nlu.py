"""`asistente nlu parse TEXT` and `asistente nlu evaluate FILE`: try and measure the NLU."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from nlu.evaluation import Reporte
    from nlu.tipos import Interpreter

__all__ = ["app", "evaluate", "parse"]

app = typer.Typer(
    help="Entender mensajes: probar y evaluar el NLU.", add_completion=False, no_args_is_help=True
)


def _interprete() -> Interpreter:
    """The interpreter chosen by the settings (Rasa server if NLU_URL is set, else the embedded one)."""
    from bot.settings import Settings
    from nlu.factory import build_interpreter

    settings = Settings()
    return build_interpreter(settings.nlu_url, settings.nlu_data_dir, settings.effective_nlu_cache_dir)


def _error(mensaje: str) -> typer.Exit:
    """Print a Spanish error to stderr and return the exit to raise."""
    from rich.console import Console

    Console(stderr=True).print(f"[red]✗[/red] {mensaje}", highlight=False)
    return typer.Exit(1)


@app.command("parse")
def parse(texto: Annotated[str, typer.Argument(help="El mensaje a interpretar.")]) -> None:
    """Print the parse of TEXT as JSON: intent, confidence, ranking and entities."""
    import json

    from nlu.tipos import NluError

    try:
        resultado = _interprete().parse(texto)
    except NluError as exc:
        raise _error(exc.mensaje) from None
    print(json.dumps(resultado.to_dict(), ensure_ascii=False, indent=2))


def _imprimir(reporte: Reporte, titulo: str) -> None:
    """Rich table with per-intent metrics and the failures."""
    from rich.console import Console
    from rich.table import Table

    consola = Console()
    tabla = Table(
        title=(
            f"{titulo}: exactitud {reporte.accuracy:.1%} ({reporte.aciertos}/{reporte.total}), "
            f"F1 macro {reporte.macro_f1:.3f}"
        )
    )
    for columna in ("intent", "precisión", "exhaustividad", "F1", "ejemplos"):
        tabla.add_column(columna, justify="left" if columna == "intent" else "right")
    for intent, m in reporte.por_intent.items():
        tabla.add_row(intent, f"{m.precision:.2f}", f"{m.recall:.2f}", f"{m.f1:.2f}", str(m.support))
    consola.print(tabla)
    if reporte.fallos:
        fallos = Table(title="Mensajes mal clasificados")
        for columna in ("mensaje", "esperado", "obtenido", "confianza"):
            fallos.add_column(columna)
        for f in reporte.fallos:
            confianza = "" if f.confianza is None else f"{f.confianza:.2f}"
            fallos.add_row(f.text, f.esperado, f.obtenido, confianza)
        consola.print(fallos)


@app.command("evaluate")
def evaluate(
    archivo: Annotated[Path, typer.Argument(help="TSV (texto<TAB>intent) o YAML de NLU de Rasa.")],
    json_: Annotated[bool, typer.Option("--json", help="Imprime el reporte como JSON.")] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Guarda la matriz de confusión en este PNG.")
    ] = None,
    cv: Annotated[
        bool,
        typer.Option("--cv", help="Además, validación cruzada (5 pliegues) con los datos de entrenamiento."),
    ] = False,
) -> None:
    """Evaluate FILE with the configured interpreter; --cv adds cross-validation on the training data."""
    import json

    from bot.settings import Settings
    from nlu.evaluation import dibujar_matriz, evaluar_archivo, validacion_cruzada
    from nlu.tipos import NluError

    try:
        reporte = evaluar_archivo(_interprete(), archivo)
        reporte_cv = validacion_cruzada(Settings().nlu_data_dir) if cv else None
    except NluError as exc:
        raise _error(exc.mensaje) from None
    if plot is not None:
        dibujar_matriz(reporte, plot)
        if reporte_cv is not None:
            dibujar_matriz(reporte_cv, plot.with_name(f"{plot.stem}-cv{plot.suffix or '.png'}"))
    if json_:
        salida = reporte.to_dict()
        if reporte_cv is not None:
            salida["validacion_cruzada"] = reporte_cv.to_dict()
        print(json.dumps(salida, ensure_ascii=False, indent=2))
        return
    _imprimir(reporte, f"Evaluación de {archivo.name}")
    if reporte_cv is not None:
        _imprimir(reporte_cv, "Validación cruzada")
    if plot is not None:
        print(f"Matriz de confusión guardada en {plot}")
