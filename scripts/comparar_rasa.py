"""Train Rasa 3.6 DIET on the project's NLU data and measure it like the embedded classifier.

Rasa is not a project dependency and never runs in CI. It lives in its own Python 3.10 venv:

    ~/.pyenv/versions/3.10.13/bin/python -m venv /tmp/rasa-venv
    /tmp/rasa-venv/bin/pip install rasa==3.6.21          # about 3 minutes
    /tmp/rasa-venv/bin/python scripts/comparar_rasa.py    # run from the repository root

The script only needs PyYAML (Rasa brings it). It converts nlu/data/*.yml to one Rasa training file
(intent examples only), trains `rasa train nlu` with a DIET pipeline, serves the model on 127.0.0.1,
sends every held-out message to `POST /model/parse`, and prints accuracy per held-out file, out-of-scope
recall, training time, parse latency p50/p99 over HTTP, the server's RSS and its start-up time.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

RAIZ = Path(__file__).resolve().parents[1]
DATOS = RAIZ / "nlu" / "data"
EVALUACIONES = {"reales": RAIZ / "tests/nlu/data/reales.tsv", "chat": RAIZ / "tests/nlu/data/chat.tsv"}
FUERA = "fuera_de_alcance"

CONFIG_DIET = """\
recipe: default.v1
language: es
assistant_id: comparacion-diet
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: {epochs}
    random_seed: 13
    constrain_similarities: true
policies: []
"""


def convertir(destino: Path) -> int:
    """Write every intent example of nlu/data into one Rasa 3.1 NLU file; returns the example count."""
    por_intent: dict[str, list[str]] = {}
    for ruta in sorted(DATOS.rglob("*.yml")):
        contenido = yaml.safe_load(ruta.read_text(encoding="utf-8")) or {}
        for bloque in contenido.get("nlu") or []:
            if isinstance(bloque, dict) and "intent" in bloque:
                lineas = str(bloque.get("examples") or "").splitlines()
                ejemplos = [linea.strip()[2:].strip() for linea in lineas if linea.strip().startswith("- ")]
                por_intent.setdefault(str(bloque["intent"]), []).extend(ejemplos)
    nlu = [
        {"intent": intent, "examples": "".join(f"- {e}\n" for e in dict.fromkeys(ejemplos))}
        for intent, ejemplos in por_intent.items()
    ]
    destino.write_text(
        yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return sum(len(set(e)) for e in por_intent.values())


def leer_tsv(ruta: Path) -> list[tuple[str, str]]:
    """`text<TAB>intent` pairs, without comments and the header."""
    pares = []
    for linea in ruta.read_text(encoding="utf-8").splitlines():
        if not linea.strip() or linea.startswith("#"):
            continue
        texto, _, intent = linea.rpartition("\t")
        if (texto, intent) != ("text", "intent"):
            pares.append((texto.strip(), intent.strip()))
    return pares


def puerto_libre() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """RSS of a process and its children, in MB."""
    total = 0.0
    pendientes = [pid]
    while pendientes:
        actual = pendientes.pop()
        try:
            with open(f"/proc/{actual}/status", encoding="ascii") as f:
                for linea in f:
                    if linea.startswith("VmRSS:"):
                        total += int(linea.split()[1]) / 1024
            hijos = Path(f"/proc/{actual}/task/{actual}/children").read_text().split()
        except OSError:
            continue
        pendientes.extend(int(h) for h in hijos)
    return total


def parse(url: str, texto: str) -> dict[str, Any]:
    """POST /model/parse."""
    peticion = urllib.request.Request(  # noqa: S310 (always http://127.0.0.1)
        f"{url}/model/parse",
        data=json.dumps({"text": texto}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(peticion, timeout=30) as respuesta:  # noqa: S310 (loopback only)
        datos: dict[str, Any] = json.loads(respuesta.read())
        return datos


def main() -> None:
    """Convert, train, serve, measure, print."""
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--epochs", type=int, default=100)
    args = argumentos.parse_args()
    rasa = str(Path(sys.executable).with_name("rasa"))
    entorno = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    with tempfile.TemporaryDirectory() as tmp:
        carpeta = Path(tmp)
        (carpeta / "data").mkdir()
        n = convertir(carpeta / "data" / "nlu.yml")
        (carpeta / "config.yml").write_text(CONFIG_DIET.format(epochs=args.epochs), encoding="utf-8")
        inicio = time.perf_counter()
        subprocess.run(
            [rasa, "train", "nlu", "--nlu", "data/nlu.yml", "--config", "config.yml", "--out", "models",
             "--fixed-model-name", "diet"],
            cwd=carpeta, env=entorno, check=True, capture_output=True,
        )  # fmt: skip
        entrenamiento_s = time.perf_counter() - inicio
        puerto = puerto_libre()
        url = f"http://127.0.0.1:{puerto}"
        inicio = time.perf_counter()
        servidor = subprocess.Popen(
            [rasa, "run", "--enable-api", "-m", "models/diet.tar.gz", "-i", "127.0.0.1", "-p", str(puerto)],
            cwd=carpeta, env=entorno, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            for _ in range(600):  # bounded: at most 5 minutes
                try:
                    parse(url, "hola")
                    break
                except OSError:
                    time.sleep(0.5)
            arranque_s = time.perf_counter() - inicio
            resultados: dict[str, Any] = {
                "ejemplos": n,
                "epochs": args.epochs,
                "entrenamiento_s": round(entrenamiento_s, 1),
                "arranque_s": round(arranque_s, 1),
            }
            tiempos = []
            for nombre, ruta in EVALUACIONES.items():
                casos = leer_tsv(ruta)
                aciertos = fuera = fuera_bien = 0
                for texto, esperado in casos:
                    t0 = time.perf_counter()
                    obtenido = parse(url, texto)["intent"]["name"]
                    tiempos.append((time.perf_counter() - t0) * 1000)
                    aciertos += obtenido == esperado
                    fuera += esperado == FUERA
                    fuera_bien += esperado == FUERA and obtenido == FUERA
                resultados[f"{nombre}_accuracy"] = round(aciertos / len(casos), 3)
                resultados[f"{nombre}_oos_recall"] = round(fuera_bien / fuera, 3) if fuera else None
            tiempos.sort()
            resultados["p50_ms"] = round(tiempos[len(tiempos) // 2], 1)
            resultados["p99_ms"] = round(tiempos[int(len(tiempos) * 0.99)], 1)
            resultados["rss_mb"] = round(rss_mb(servidor.pid), 0)
        finally:
            servidor.send_signal(signal.SIGTERM)
            try:
                servidor.wait(timeout=30)
            except subprocess.TimeoutExpired:
                servidor.kill()
    print(json.dumps(resultados, indent=2))


if __name__ == "__main__":
    main()
