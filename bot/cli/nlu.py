"""`asistente nlu parse TEXT` and `asistente nlu evaluate [FILE] [--cv K]`: try and measure the NLU."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from nlu.evaluation import Campo, Reporte
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
    """Print the parse of TEXT as JSON: intent, confidence, ranking, dialogue act and entities."""
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
    archivo: Annotated[
        Path | None,
        typer.Argument(help="TSV (texto<TAB>intent) o YAML de NLU de Rasa. Opcional con --cv."),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Imprime el reporte como JSON.")] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Guarda la matriz de confusión en este PNG.")
    ] = None,
    cv: Annotated[
        int | None,
        typer.Option(
            "--cv",
            min=2,
            help="Validación cruzada estratificada con K pliegues sobre los datos de entrenamiento "
            "(lo usual: --cv 5).",
        ),
    ] = None,
    actos: Annotated[
        bool,
        typer.Option("--actos", help="Mide el acto de diálogo (pregunta, solicitud…) en vez del intent."),
    ] = False,
) -> None:
    """Evaluate FILE with the configured interpreter and/or cross-validate with --cv K."""
    import json

    from bot.settings import Settings
    from nlu.embedded import ACTOS_DIR, CONFIG_ACTOS
    from nlu.evaluation import dibujar_matriz, evaluar_archivo, validacion_cruzada
    from nlu.tipos import NluError

    if archivo is None and cv is None:
        raise _error("Indica un archivo para evaluar, o --cv K para la validación cruzada.")
    campo: Campo = "act" if actos else "intent"
    try:
        reporte = evaluar_archivo(_interprete(), archivo, campo) if archivo is not None else None
        datos_cv = ACTOS_DIR if actos else Settings().nlu_data_dir
        config = CONFIG_ACTOS if actos else None
        reporte_cv = validacion_cruzada(datos_cv, folds=cv, config=config) if cv is not None else None
    except NluError as exc:
        raise _error(exc.mensaje) from None
    except ValueError as exc:  # scikit-learn: more folds than examples of some label
        raise _error(f"No se pudo hacer la validación cruzada: {exc}") from None
    if plot is not None:
        if reporte is not None:
            dibujar_matriz(reporte, plot)
        if reporte_cv is not None:
            destino = plot if reporte is None else plot.with_name(f"{plot.stem}-cv{plot.suffix or '.png'}")
            dibujar_matriz(reporte_cv, destino)
    if json_:
        salida = reporte.to_dict() if reporte is not None else {}
        if reporte_cv is not None:
            if reporte is None:
                salida = reporte_cv.to_dict()
            else:
                salida["validacion_cruzada"] = reporte_cv.to_dict()
        print(json.dumps(salida, ensure_ascii=False, indent=2))
        return
    if reporte is not None and archivo is not None:
        _imprimir(reporte, f"Evaluación de {archivo.name}")
    if reporte_cv is not None:
        _imprimir(reporte_cv, f"Validación cruzada, {cv} pliegues")
    if plot is not None:
        print(f"Matriz de confusión guardada en {plot}")
