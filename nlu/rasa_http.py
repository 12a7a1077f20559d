"""An interpreter backed by a Rasa server's `POST /model/parse`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nlu.entities import extract_entities, validar_entidad
from nlu.payload import parse_payload
from nlu.tipos import ACTO_POR_OMISION, Entity, NluNoDisponible, Parse

if TYPE_CHECKING:
    import httpx

__all__ = ["RasaHttpInterpreter", "desde_rasa"]

_FALLBACK = "nlu_fallback"


def _entidades(datos: list[Any], text: str) -> list[Entity]:
    """Rasa's entities, validated like ours, plus our regex entities where Rasa found nothing."""
    propias = extract_entities(text)
    salida: list[Entity] = []
    for e in datos:
        if not isinstance(e, dict) or "entity" not in e:
            continue
        nombre = str(e["entity"])
        valor = validar_entidad(nombre, str(e.get("value", "")))
        if valor is None:
            continue
        inicio, fin = int(e.get("start", 0)), int(e.get("end", 0))
        salida.append(Entity(nombre, valor, inicio, fin, str(e.get("extractor") or "rasa")))
    for p in propias:
        if all(p.end <= s.start or p.start >= s.end for s in salida):
            salida.append(p)
    return sorted(salida, key=lambda x: x.start)


def desde_rasa(datos: dict[str, Any], text: str) -> Parse:
    """Map Rasa's parse_data to a Parse; `nlu_fallback` gives way to the best real intent.

    A plain Rasa server sends no dialogue act: the Parse then keeps the default act with confidence 0.
    """
    ranking = [
        (str(r["name"]), float(r.get("confidence") or 0.0))
        for r in datos.get("intent_ranking") or []
        if isinstance(r, dict) and r.get("name") and r.get("name") != _FALLBACK
    ]
    intent = datos.get("intent") or {}
    nombre = intent.get("name") if isinstance(intent, dict) else None
    confianza = float(intent.get("confidence") or 0.0) if isinstance(intent, dict) else 0.0
    if not nombre or nombre == _FALLBACK:
        nombre, confianza = ranking[0] if ranking else ("fuera_de_alcance", 0.0)
    if not ranking:
        ranking = [(str(nombre), confianza)]
    acto = datos.get("act")
    if not isinstance(acto, dict):
        acto = {}
    return Parse(
        text=text,
        intent=str(nombre),
        confidence=confianza,
        ranking=sorted(ranking, key=lambda r: -r[1]),
        entities=_entidades(list(datos.get("entities") or []), text),
        act=str(acto.get("name") or ACTO_POR_OMISION),
        act_confidence=float(acto.get("confidence") or 0.0),
    )


class RasaHttpInterpreter:
    """Parses through a Rasa server (`NLU_URL`), e.g. http://127.0.0.1:5005."""

    def __init__(
        self, url: str, *, timeout: float = 10.0, token: str | None = None, client: httpx.Client | None = None
    ) -> None:
        self.url = url.rstrip("/")
        self._params = {"token": token} if token else {}
        self._timeout = timeout
        # httpx costs half a second to import; only pay it when a Rasa server is actually used.
        self._client = client

    def parse(self, text: str) -> Parse:
        """POST the text to `{url}/model/parse` and map the answer; button payloads are parsed locally."""
        payload = parse_payload(text)
        if payload is not None:
            return payload
        import httpx

        if self._client is None:
            self._client = httpx.Client(timeout=self._timeout)
        try:
            respuesta = self._client.post(f"{self.url}/model/parse", json={"text": text}, params=self._params)
            respuesta.raise_for_status()
            datos = respuesta.json()
        except httpx.HTTPError as exc:
            raise NluNoDisponible(
                f"No pude consultar el servidor de NLU en {self.url} ({exc.__class__.__name__}). "
                "Revisa que Rasa esté corriendo o quita NLU_URL para usar el modelo integrado."
            ) from exc
        except ValueError as exc:
            raise NluNoDisponible(f"El servidor de NLU en {self.url} no respondió JSON válido.") from exc
        if not isinstance(datos, dict):
            raise NluNoDisponible(
                f"El servidor de NLU en {self.url} respondió algo que no es un parse de Rasa."
            )
        return desde_rasa(datos, text)

    def close(self) -> None:
        """Close the HTTP client."""
        if self._client is not None:
            self._client.close()
