"""The numpy serving path reproduces scikit-learn, and the cache avoids retraining."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nlu.entrenamiento
from nlu import EmbeddedInterpreter
from nlu.modelo import ModeloIntents, ngramas_char_wb, ngramas_palabras, softmax
from nlu.normalizacion import normalizar

from .conftest import REPO_ROOT, Entrenado


def test_numpy_serving_matches_sklearn_on_training_texts(entrenado: Entrenado) -> None:
    modelo = ModeloIntents(entrenado.arreglos)
    textos = [*entrenado.textos, "texto que nunca se vio zzzz", "", "¿¿??"]
    esperado = softmax(np.asarray(entrenado.pipeline.decision_function(textos)), entrenado.temperatura)
    obtenido = np.array([modelo.probabilidades(t) for t in textos])
    assert list(entrenado.pipeline.classes_) == modelo.clases
    np.testing.assert_allclose(obtenido, esperado, atol=1e-6, rtol=0)
    assert (obtenido.argmax(axis=1) == esperado.argmax(axis=1)).all()


def test_analyzers_match_sklearn_vectorizers(entrenado: Entrenado) -> None:
    palabras, chars = (t for _, t in entrenado.pipeline.named_steps["rasgos"].transformer_list)
    modelo = ModeloIntents(entrenado.arreglos)
    for texto in ["hola", "q onda", "mi nss xfa", "a b", "oye ocupo mi numero de seguro social urgente"]:
        doc = normalizar(texto)
        assert ngramas_palabras(doc, modelo._patron, (1, 2)) == palabras.build_analyzer()(texto)
        assert ngramas_char_wb(doc, (2, 5)) == chars.build_analyzer()(texto)


def test_weights_round_trip_through_npz(entrenado: Entrenado, tmp_path: Path) -> None:
    from nlu.modelo import guardar_npz

    destino = tmp_path / "pesos.npz"
    guardar_npz(entrenado.arreglos, destino)
    cargado = ModeloIntents.cargar(destino)
    original = ModeloIntents(entrenado.arreglos)
    assert list(tmp_path.iterdir()) == [destino]  # the temp file was renamed, nothing left behind
    for texto in ["hola", "quiero mi constancia de vigencia"]:
        np.testing.assert_array_equal(cargado.probabilidades(texto), original.probabilidades(texto))


def test_calibrated_confidences_are_probabilities(interprete: EmbeddedInterpreter) -> None:
    parse = interprete.parse("ocupo algo del seguro")
    assert sum(c for _, c in parse.ranking) == pytest.approx(1.0)
    assert [c for _, c in parse.ranking] == sorted((c for _, c in parse.ranking), reverse=True)
    assert parse.confidence == parse.ranking[0][1]
    assert len(parse.ranking) == 18


def test_constructor_does_not_train(datos_chicos: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    EmbeddedInterpreter(datos_chicos, cache)
    assert not cache.exists()


def test_first_parse_trains_then_second_interpreter_loads_cache(
    datos_chicos: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    primero = EmbeddedInterpreter(datos_chicos, cache)
    assert primero.parse("hola buenos dias").intent == "saludo"
    assert primero.origen == "entrenamiento"
    assert primero.cache_path is not None and primero.cache_path.is_file()
    actos = primero.ruta_cache_actos()
    assert actos is not None and actos.name.startswith("actos-")
    assert sorted(p.name for p in cache.iterdir()) == sorted([actos.name, primero.cache_path.name])

    def sin_entrenar(*args: object, **kwargs: object) -> None:
        raise AssertionError("no debía volver a entrenar")

    monkeypatch.setattr(nlu.entrenamiento, "entrenar", sin_entrenar)
    segundo = EmbeddedInterpreter(datos_chicos, cache)
    assert segundo.parse("quiero mi nss").intent == "obtener_nss"
    assert segundo.origen == "cache"
    assert segundo.cache_path == primero.cache_path


def test_changing_the_data_changes_the_cache_key(datos_chicos: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    antes = EmbeddedInterpreter(datos_chicos, cache).ruta_cache()
    archivo = datos_chicos / "chico.yml"
    archivo.write_text(archivo.read_text(encoding="utf-8") + "    - me despido\n", encoding="utf-8")
    despues = EmbeddedInterpreter(datos_chicos, cache)
    assert despues.ruta_cache() != antes
    assert despues.parse("me despido").intent == "despedida"
    assert despues.origen == "entrenamiento"


def test_corrupt_cache_is_retrained(datos_chicos: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    ruta = EmbeddedInterpreter(datos_chicos, cache).ruta_cache()
    cache.mkdir()
    ruta.write_bytes(b"esto no es un npz")
    interprete = EmbeddedInterpreter(datos_chicos, cache)
    assert interprete.parse("adios").intent == "despedida"
    assert interprete.origen == "entrenamiento"
    assert ModeloIntents.cargar(ruta).clases == ["despedida", "obtener_nss", "saludo"]


def test_serving_from_cache_does_not_import_sklearn(interprete: EmbeddedInterpreter) -> None:
    interprete.modelo()  # make sure the cache file exists
    codigo = (
        "import sys; from pathlib import Path; from nlu import EmbeddedInterpreter;"
        f"i = EmbeddedInterpreter(Path({str(interprete.data_dir)!r}), Path({str(interprete.cache_dir)!r}));"
        "p = i.parse('quiero mi nss'); assert i.origen == 'cache', i.origen;"
        "assert 'sklearn' not in sys.modules and 'scipy' not in sys.modules; print(p.intent)"
    )
    salida = subprocess.run(
        [sys.executable, "-c", codigo], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert salida.returncode == 0, salida.stderr
    assert salida.stdout.strip() == "obtener_nss"
