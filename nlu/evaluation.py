"""Measuring the intent classifier: cross-validation on the training data and evaluation of a file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from nlu.datos import Ejemplo, leer_archivo_evaluacion, leer_ejemplos
from nlu.modelo import Configuracion
from nlu.tipos import Interpreter, Parse

__all__ = [
    "Ajustador",
    "Campo",
    "Fallo",
    "MetricasIntent",
    "Reporte",
    "ajustador_tfidf",
    "calcular_reporte",
    "dibujar_matriz",
    "evaluar",
    "evaluar_archivo",
    "validacion_cruzada",
]


#: Fits a classifier on (texts, labels) and returns its predict function: one approach to compare.
Ajustador = Callable[[list[str], list[str]], Callable[[list[str]], list[str]]]
#: Which label of a Parse is measured: the intent or the dialogue act.
Campo = Literal["intent", "act"]


@dataclass(frozen=True)
class MetricasIntent:
    """Precision, recall and F1 of one intent, and how many examples it had."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Fallo:
    """One misclassified example."""

    text: str
    esperado: str
    obtenido: str
    confianza: float | None


@dataclass(frozen=True)
class Reporte:
    """Accuracy, per-intent metrics, confusion matrix (rows = expected) and the failures."""

    total: int
    aciertos: int
    etiquetas: list[str]
    por_intent: dict[str, MetricasIntent]
    matriz: list[list[int]]
    fallos: list[Fallo] = field(default_factory=list)
    fuente: str = ""

    @property
    def accuracy(self) -> float:
        """Share of examples classified right."""
        return self.aciertos / self.total if self.total else 0.0

    @property
    def macro_f1(self) -> float:
        """Unweighted mean F1 over the intents that have examples."""
        valores = [m.f1 for m in self.por_intent.values() if m.support]
        return sum(valores) / len(valores) if valores else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "fuente": self.fuente,
            "total": self.total,
            "aciertos": self.aciertos,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "por_intent": {k: asdict(m) for k, m in self.por_intent.items()},
            "etiquetas": self.etiquetas,
            "matriz": self.matriz,
            "fallos": [asdict(f) for f in self.fallos],
        }


def _orden(esperados: Sequence[str], obtenidos: Sequence[str]) -> list[str]:
    """Expected labels in the order they first appear (a file grouped by intent keeps its order),
    then labels that were only predicted, alphabetically."""
    vistas = list(dict.fromkeys(esperados))
    return vistas + sorted(set(obtenidos) - set(vistas))


def calcular_reporte(
    textos: Sequence[str],
    esperados: Sequence[str],
    obtenidos: Sequence[str],
    confianzas: Sequence[float | None] | None = None,
    fuente: str = "",
) -> Reporte:
    """Metrics from expected and predicted intents."""
    etiquetas = _orden(esperados, obtenidos)
    indice = {e: i for i, e in enumerate(etiquetas)}
    matriz = [[0] * len(etiquetas) for _ in etiquetas]
    for e, o in zip(esperados, obtenidos, strict=True):
        matriz[indice[e]][indice[o]] += 1
    por_intent: dict[str, MetricasIntent] = {}
    for e, i in indice.items():
        vp = matriz[i][i]
        predichos = sum(fila[i] for fila in matriz)
        reales = sum(matriz[i])
        precision = vp / predichos if predichos else 0.0
        recall = vp / reales if reales else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        por_intent[e] = MetricasIntent(precision, recall, f1, reales)
    confs = list(confianzas) if confianzas is not None else [None] * len(textos)
    fallos = [
        Fallo(t, e, o, c) for t, e, o, c in zip(textos, esperados, obtenidos, confs, strict=True) if e != o
    ]
    aciertos = sum(1 for e, o in zip(esperados, obtenidos, strict=True) if e == o)
    return Reporte(len(textos), aciertos, etiquetas, por_intent, matriz, fallos, fuente)


def _etiqueta(parse: Parse, campo: Campo) -> tuple[str, float]:
    """The measured label of a parse and its confidence."""
    return (parse.act, parse.act_confidence) if campo == "act" else (parse.intent, parse.confidence)


def evaluar(
    interprete: Interpreter, ejemplos: Sequence[Ejemplo], fuente: str = "", campo: Campo = "intent"
) -> Reporte:
    """Run every example through the interpreter and compare its intent (or act) with the label."""
    obtenidos = [_etiqueta(interprete.parse(e.text), campo) for e in ejemplos]
    return calcular_reporte(
        [e.text for e in ejemplos],
        [e.intent for e in ejemplos],
        [o for o, _ in obtenidos],
        [c for _, c in obtenidos],
        fuente,
    )


def evaluar_archivo(interprete: Interpreter, path: Path, campo: Campo = "intent") -> Reporte:
    """Evaluate a TSV (`text<TAB>label`) or Rasa NLU YAML file."""
    return evaluar(interprete, leer_archivo_evaluacion(path), fuente=str(path), campo=campo)


def ajustador_tfidf(config: Configuracion | None = None) -> Ajustador:
    """The embedded classifier's approach (TF-IDF word + char_wb, linear SVM) as an Ajustador."""
    from nlu.entrenamiento import construir_pipeline

    def ajustar(textos: list[str], etiquetas: list[str]) -> Callable[[list[str]], list[str]]:
        pipeline = construir_pipeline(config or Configuracion())
        pipeline.fit(textos, etiquetas)
        return lambda nuevos: [str(p) for p in pipeline.predict(nuevos)]

    return ajustar


def validacion_cruzada(
    data_dir: Path,
    folds: int = 5,
    semilla: int = 13,
    config: Configuracion | None = None,
    ajustar: Ajustador | None = None,
) -> Reporte:
    """Stratified k-fold cross-validation on the training data (TF-IDF by default, or `ajustar`)."""
    from sklearn.model_selection import StratifiedKFold

    ejemplos = leer_ejemplos(data_dir)
    textos = [e.text for e in ejemplos]
    etiquetas = [e.intent for e in ejemplos]
    predichos = [""] * len(ejemplos)
    ajustar = ajustar or ajustador_tfidf(config)
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=semilla)
    for entrenamiento, prueba in cv.split(textos, etiquetas):
        predecir = ajustar([textos[i] for i in entrenamiento], [etiquetas[i] for i in entrenamiento])
        for i, p in zip(prueba, predecir([textos[i] for i in prueba]), strict=True):
            predichos[i] = p
    return calcular_reporte(
        textos,
        etiquetas,
        predichos,
        fuente=f"validación cruzada estratificada, {folds} pliegues, {data_dir}",
    )


def _fuente(tamano: int) -> Any:
    """A font with Spanish accents: DejaVu if installed, else reportlab's bundled Vera, else Pillow's."""
    from PIL import ImageFont

    candidatas = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")]
    try:
        import reportlab

        candidatas.append(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")
    except ImportError:
        pass
    for ruta in candidatas:
        if ruta.is_file():
            return ImageFont.truetype(str(ruta), tamano)
    return ImageFont.load_default(size=tamano)


def dibujar_matriz(reporte: Reporte, destino: Path) -> Path:
    """Draw the confusion matrix (row-normalized shading, counts in cells) to a PNG with Pillow."""
    from PIL import Image, ImageDraw

    n = len(reporte.etiquetas)
    celda, margen_izq, margen_sup, pie = 34, 190, 205, 40
    fuente = _fuente(12)
    titulo = _fuente(14)
    ancho, alto = margen_izq + n * celda + 20, margen_sup + n * celda + pie
    imagen = Image.new("RGB", (ancho, alto), "white")
    dibujo = ImageDraw.Draw(imagen)
    dibujo.text(
        (10, 10),
        f"Matriz de confusión · exactitud {reporte.accuracy:.1%} ({reporte.aciertos}/{reporte.total})",
        fill="black",
        font=titulo,
    )
    dibujo.text((10, 30), "filas: intent esperado · columnas: intent obtenido", fill="dimgray", font=fuente)
    for i, etiqueta in enumerate(reporte.etiquetas):
        y = margen_sup + i * celda + celda // 2
        dibujo.text((margen_izq - 8, y), etiqueta, fill="black", font=fuente, anchor="rm")
        # Column labels are drawn on a strip and rotated so long intent names fit.
        tira = Image.new("RGB", (margen_sup - 55, celda), "white")
        ImageDraw.Draw(tira).text((4, celda // 2), etiqueta, fill="black", font=fuente, anchor="lm")
        girada = tira.rotate(90, expand=True)
        imagen.paste(girada, (margen_izq + i * celda, 50))
    for i, fila in enumerate(reporte.matriz):
        total = sum(fila) or 1
        for j, valor in enumerate(fila):
            x0, y0 = margen_izq + j * celda, margen_sup + i * celda
            proporcion = valor / total
            # Any confusion at all must be visible, so off-diagonal shading starts at a floor.
            intensidad = proporcion if i == j or not valor else 0.25 + 0.75 * proporcion
            if i == j:
                color = (int(255 - 200 * intensidad), int(255 - 90 * intensidad), int(255 - 200 * intensidad))
            else:
                color = (int(255 - 30 * intensidad), int(255 - 200 * intensidad), int(255 - 200 * intensidad))
            dibujo.rectangle((x0, y0, x0 + celda, y0 + celda), fill=color, outline=(210, 210, 210))
            if valor:
                tinta = "white" if intensidad > 0.6 else "black"
                dibujo.text(
                    (x0 + celda // 2, y0 + celda // 2), str(valor), fill=tinta, font=fuente, anchor="mm"
                )
    dibujo.text(
        (10, alto - pie + 12),
        f"F1 macro {reporte.macro_f1:.3f} · fuente: {reporte.fuente}"[:140],
        fill="dimgray",
        font=fuente,
    )
    destino.parent.mkdir(parents=True, exist_ok=True)
    imagen.save(destino, format="PNG")
    return destino
