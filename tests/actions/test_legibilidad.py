"""Readability of everything the assistant can say, on the project's own Fernández-Huerta scorer."""

from __future__ import annotations

from actions.servicios import Servicios
from tests.actions.respuestas_posibles import respuestas_posibles
from tools.legibilidad import legibilidad, legibilidad_conjunta

#: The bar for the replies taken together (weighted by words) and for any single one.
CONJUNTA_MINIMA = 80.0
MINIMA = 60.0


def test_every_reply_reads_easily(servicios_demo: Servicios) -> None:
    textos = respuestas_posibles(servicios_demo.registro)
    assert len(textos) > 250  # domain, guidance, error templates and the messages built in code
    puntajes = {origen: legibilidad(texto) for origen, texto in textos}
    dificiles = sorted((round(p.valor, 1), origen) for origen, p in puntajes.items() if p.valor < MINIMA)
    assert dificiles == []
    conjunta = legibilidad_conjunta(puntajes.values())
    print(f"\nFernández-Huerta: {conjunta:.1f} sobre {len(textos)} respuestas; la más baja "
          f"{min(p.valor for p in puntajes.values()):.1f}")
    assert conjunta >= CONJUNTA_MINIMA
