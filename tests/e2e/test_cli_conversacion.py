"""Conversations that work for real people, through `asistente chat --json` in a pipe.

One person asks a question in the middle of a trámite, does not know a value, takes the detour to get
it, sees the first request resume, gets her husband's constancia with one confirmation, and asks about
the phone line and the Afore: every behaviour of issue 11 in the contract the terminal chat keeps.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.e2e.test_cli_chat_umf import _run
from tests.helpers import pdf_text
from tramites.registro import PREDECIBLES

MARIA, JUAN = PREDECIBLES[0], PREDECIBLES[5]
ERROR_DE_FORMATO = re.compile(r"posición|debe tener|no es válid|tiene \d+ (dígitos|caracteres)", re.I)


def _turnos(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_digressions_detour_relative_and_guidance_in_the_terminal_chat(
    tmp_path: Path, nlu_cache_dir: Path
) -> None:
    data = tmp_path / "datos"
    lineas = [
        "quiero mi constancia de vigencia",
        "¿para qué quieren mi CURP?",
        MARIA.curp,
        "no lo sé",
        "/obtener_nss",
        str(MARIA.email),
        "ahora la de mi esposo",
        "sí",
        JUAN.curp,
        "¿cuál es el teléfono del IMSS?",
        "¿en qué Afore estoy y cómo me cambio?",
    ]
    mensajes = _turnos(_run(["chat", "--json"], data, nlu_cache_dir, "\n".join(lineas) + "\n").stdout)
    textos = [m["text"] for m in mensajes]
    todo = "\n".join(textos)
    # A question and a "no sé" get the step's help, never a format error.
    assert "gob.mx/curp" in todo and not ERROR_DE_FORMATO.search(todo)
    ayuda_nss = next(m for m in mensajes if "recibos de nómina" in m["text"] and m["buttons"])
    assert {"title": "Consultar mi NSS", "payload": "/obtener_nss"} in ayuda_nss["buttons"]
    # The detour gives the NSS, then the constancia asked for first resumes by itself.
    assert f"Tu Número de Seguridad Social (NSS) es {MARIA.nss}" in todo
    assert "Ahora sí, sigamos con tu constancia de vigencia." in textos
    # The husband's constancia, after one confirmation of whose data is used.
    assert "Para la constancia de tu esposo uso tus datos, María (CURP HELG…05). ¿Eres tú?" in textos
    assert "¿Cuál es la CURP de tu esposo?" in textos
    documentos = [m["document"] for m in mensajes if m["document"]]
    assert len(documentos) == 3
    nss, propia, esposo = (pdf_text(d["path"]) for d in documentos)
    assert MARIA.nss in nss and MARIA.curp in propia and "VIGENTE" in propia
    assert JUAN.curp in esposo and "Beneficiario de María Guadalupe Hernández López" in esposo
    # Questions outside a trámite get sourced answers; the Afore is routed to CONSAR.
    assert "800 623 2323" in todo
    afore = textos[-1]
    assert "CONSAR" in afore and "e-sar.com.mx" in afore
    assert all(b["payload"] == "/ayuda" for b in mensajes[-1]["buttons"])
    for documento in documentos:
        verificado = _run(["verificar", "--json", documento["path"]], data, nlu_cache_dir)
        assert json.loads(verificado.stdout)["valido"] is True
