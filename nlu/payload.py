"""Rasa-style payload messages sent by buttons: "/intent" or "/intent{\"curp\": \"...\"}"."""

from __future__ import annotations

import json
import re

from nlu.tipos import Entity, Parse

__all__ = ["parse_payload"]

_PAYLOAD = re.compile(
    r"^\s*/(?P<intent>[A-Za-z_][\w.\-]*)(?:@(?P<conf>[01](?:\.\d+)?))?(?P<json>\{.*\})?\s*$", re.DOTALL
)


def parse_payload(text: str) -> Parse | None:
    """The Parse for a payload text (confidence 1.0 unless "@0.7" is given), or None for ordinary text."""
    m = _PAYLOAD.match(text)
    if not m:
        return None
    intent = m.group("intent")
    confianza = min(1.0, float(m.group("conf"))) if m.group("conf") else 1.0
    entidades: list[Entity] = []
    if m.group("json"):
        inicio, fin = m.start("json"), m.end("json")
        try:
            datos = json.loads(m.group("json"))
        except json.JSONDecodeError:
            datos = {}  # Rasa also ignores malformed payload entities and keeps the intent.
        if isinstance(datos, dict):
            for nombre, valor in datos.items():
                valores = valor if isinstance(valor, list) else [valor]
                for v in valores:
                    if v is None:
                        continue
                    entidades.append(
                        Entity(
                            str(nombre),
                            v if isinstance(v, str) else json.dumps(v, ensure_ascii=False),
                            inicio,
                            fin,
                            "payload",
                        )
                    )
    return Parse(
        text=text, intent=intent, confidence=confianza, ranking=[(intent, confianza)], entities=entidades
    )
