"""The e.firma form validators and submit actions with a real rasa-sdk Tracker: events and messages."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.efirma_cuenta import ActionCrearCuenta, ValidateCuentaForm
from actions.efirma_datos import ActionActualizarDatos, ValidateDatosForm
from actions.servicios import ZONA, Servicios, instalar
from tests.actions.conftest import construir_servicios
from tests.actions.tracker import domain, textos
from tests.efirma_factory import CaPrueba, crear_ca, crear_csd, crear_fiel
from tests.helpers import pdf_text
from tramites.cuenta_efirma import DatosCertificado, SolicitudCuenta
from tramites.efirma import leer_certificado, verificar_firma
from tramites.efirma.custodia import SqlCustodia
from tramites.identidad import digito_rfc
from tramites.registro import Persona

CONVERSACION = "acciones-efirma"
PASSWORD = "Ocelote.Verde-2026"


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> CaPrueba:
    """The trusted test CA."""
    return crear_ca(tmp_path_factory.mktemp("ca"))


@pytest.fixture
def servicios_efirma(tmp_path: Path, registro_sembrado: Path, ca: CaPrueba) -> Iterator[Servicios]:
    """Demo registry, issuer, upload custody and trust store, installed for the actions."""
    assert ca.ruta is not None
    servicios_ = construir_servicios(registro_sembrado, tmp_path / "datos", ca_dir=ca.ruta.parent)
    instalar(servicios_)
    yield servicios_
    instalar(None)


@pytest.fixture
def persona(servicios_efirma: Servicios) -> Persona:
    """A demo person with an email."""
    return next(p for p in servicios_efirma.registro.listar_personas(20) if p.email and p.telefono)


@pytest.fixture
def rfc(persona: Persona) -> str:
    """A well-formed RFC for the person."""
    base = persona.curp[:10] + "K7"
    return base + digito_rfc(base)


@pytest.fixture
def fiel(ca: CaPrueba, persona: Persona, rfc: str) -> tuple[bytes, bytes, str]:
    """The person's e.firma."""
    return crear_fiel(ca, rfc, persona.curp, persona.nombre_completo.upper(), password=PASSWORD)


def vault(s: Servicios) -> SqlCustodia:
    """The installed upload custody."""
    assert s.vault is not None
    return s.vault


def tracker(
    slots: dict[str, Any],
    *,
    requested: str | None,
    form: str = "cuenta_form",
    text: str = "",
    metadata: dict[str, Any] | None = None,
    intent: str | None = None,
    candidates: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker as the engine sends it: the user message, then the slot candidates of this turn."""
    todos = {"requested_slot": requested, **slots}
    events: list[dict[str, Any]] = [
        {"event": "user", "text": text, "parse_data": {"text": text}, "metadata": metadata or {}}
    ]
    for nombre, valor in (candidates or {}).items():
        events.append({"event": "slot", "name": nombre, "value": valor})
        todos[nombre] = valor
    return Tracker(
        sender_id=CONVERSACION,
        slots=todos,
        latest_message={
            "text": text,
            "intent": {"name": intent},
            "entities": [],
            "metadata": metadata or {},
        },
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": form},
        latest_action_name=None,
    )


def correr(accion: Any, t: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run a validator (async) and return its events and dispatcher messages."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(accion.run(dispatcher, t, domain()))
    return list(events), list(dispatcher.messages)


def dichos(mensajes: list[dict[str, Any]]) -> str:
    """What the person reads, one message per line."""
    return "\n".join(textos(mensajes))


def base_cuenta(persona: Persona, rfc: str, **extra: Any) -> dict[str, Any]:
    """Slots of the account form up to the files."""
    return {"curp": persona.curp, "rfc": rfc, "email": persona.email, **extra}


def subir(s: Servicios, nombre: str, data: bytes) -> dict[str, Any]:
    """What the engine does with an upload: custody holds it and its metadata goes in the user event."""
    return {"attachment": vault(s).hold(CONVERSACION, nombre, data, len(data)).to_metadata()}


def con_archivos(s: Servicios, fiel: tuple[bytes, bytes, str], persona: Persona, rfc: str) -> dict[str, Any]:
    """Slots as they are when the password is asked: both files held and the certificate read."""
    cer = vault(s).hold(CONVERSACION, "a.cer", fiel[0], len(fiel[0]))
    key = vault(s).hold(CONVERSACION, "a.key", fiel[1], len(fiel[1]))
    datos = DatosCertificado.de_certificado(leer_certificado(fiel[0]))
    return base_cuenta(
        persona, rfc, efirma_cer=cer.id, efirma_key=key.id, efirma_certificado=datos.como_dict()
    )


# ------------------------------------------------------------------------------------------ .cer


def test_valid_certificate_is_kept_and_described(
    servicios_efirma: Servicios, persona: Persona, rfc: str, fiel: tuple[bytes, bytes, str]
) -> None:
    metadata = subir(servicios_efirma, "mi.cer", fiel[0])
    t = tracker(base_cuenta(persona, rfc), requested="efirma_cer", metadata=metadata)
    events, mensajes = correr(ValidateCuentaForm(), t)
    cer_id = metadata["attachment"]["id"]
    assert SlotSet("efirma_cer", cer_id) in events
    certificado = next(e["value"] for e in events if e["name"] == "efirma_certificado")
    assert certificado["rfc"] == rfc and certificado["curp"] == persona.curp
    assert "Recibí tu certificado" in dichos(mensajes) and persona.nombre_completo.upper() in dichos(mensajes)


def test_csd_is_cleared_with_the_reason_and_asked_again(
    servicios_efirma: Servicios, ca: CaPrueba, persona: Persona, rfc: str
) -> None:
    csd, _key, _ = crear_csd(ca, rfc, persona.curp, "SUCURSAL")
    metadata = subir(servicios_efirma, "sello.cer", csd)
    events, mensajes = correr(
        ValidateCuentaForm(), tracker(base_cuenta(persona, rfc), requested="efirma_cer", metadata=metadata)
    )
    assert events == [SlotSet("efirma_cer", None), SlotSet("requested_slot", "efirma_cer")]
    # The reason only; the engine asks for the .cer again (utter_reask_efirma_cer).
    assert dichos(mensajes).startswith("Subiste un Certificado de Sello Digital (CSD)")
    assert len(mensajes) == 1
    assert vault(servicios_efirma).count() == 0


def test_rfc_typed_must_be_the_certificates(
    servicios_efirma: Servicios, persona: Persona, fiel: tuple[bytes, bytes, str]
) -> None:
    metadata = subir(servicios_efirma, "mi.cer", fiel[0])
    otro_rfc = "GOMA800101AB1"
    events, mensajes = correr(
        ValidateCuentaForm(),
        tracker(base_cuenta(persona, otro_rfc), requested="efirma_cer", metadata=metadata),
    )
    assert events == [SlotSet("efirma_cer", None), SlotSet("requested_slot", "efirma_cer")]
    assert "El RFC que escribiste no coincide" in dichos(mensajes)


def test_without_trust_store_the_form_ends_with_a_clear_message(
    servicios_efirma: Servicios, persona: Persona, rfc: str, fiel: tuple[bytes, bytes, str]
) -> None:
    assert servicios_efirma.efirma is not None
    servicios_efirma.efirma.ca_dir = None
    servicios_efirma.efirma.almacen_fijo = None
    metadata = subir(servicios_efirma, "mi.cer", fiel[0])
    events, mensajes = correr(
        ValidateCuentaForm(), tracker(base_cuenta(persona, rfc), requested="efirma_cer", metadata=metadata)
    )
    assert "Por ahora no puedo comprobar quién emitió tu e.firma" in dichos(mensajes)
    assert ActiveLoop(None) in events
    assert vault(servicios_efirma).count() == 0


# ------------------------------------------------------------------------------------------ .key


def test_key_is_accepted_without_opening_it(
    servicios_efirma: Servicios, persona: Persona, rfc: str, fiel: tuple[bytes, bytes, str]
) -> None:
    metadata = subir(servicios_efirma, "a.key", fiel[1])
    events, mensajes = correr(
        ValidateCuentaForm(),
        tracker(base_cuenta(persona, rfc, efirma_cer="x"), requested="efirma_key", metadata=metadata),
    )
    assert events == [SlotSet("efirma_key", metadata["attachment"]["id"])]
    assert dichos(mensajes) == "Recibí tu llave privada (.key)."


def test_random_file_at_the_key_step_is_called_not_a_key(
    servicios_efirma: Servicios, persona: Persona, rfc: str
) -> None:
    metadata = subir(servicios_efirma, "foto.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 900)
    events, mensajes = correr(
        ValidateCuentaForm(),
        tracker(base_cuenta(persona, rfc, efirma_cer="x"), requested="efirma_key", metadata=metadata),
    )
    assert events == [SlotSet("efirma_key", None), SlotSet("requested_slot", "efirma_key")]
    assert dichos(mensajes).startswith("Ese archivo no es la llave privada (.key)")


# ------------------------------------------------------------------------------------- password


def test_right_password_signs_and_wipes_the_files(
    servicios_efirma: Servicios, persona: Persona, rfc: str, fiel: tuple[bytes, bytes, str]
) -> None:
    slots = con_archivos(servicios_efirma, fiel, persona, rfc)
    t = tracker(slots, requested="efirma_password", text=PASSWORD, candidates={"efirma_password": PASSWORD})
    events, mensajes = correr(ValidateCuentaForm(), t)
    valores = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert valores["efirma_password"] is None
    assert valores["efirma_intentos"] == 0
    assert valores["requested_slot"] == "terminos"
    certificado = leer_certificado(fiel[0])
    assert verificar_firma(certificado, valores["efirma_cadena"], valores["efirma_sello"])
    esperada = SolicitudCuenta(
        curp=persona.curp,
        rfc=rfc,
        email=str(persona.email),
        numero_certificado=certificado.numero_certificado,
        fecha=datetime.fromisoformat(valores["efirma_fecha"]),
    )
    assert valores["efirma_cadena"] == esperada.cadena_original()
    assert vault(servicios_efirma).count() == 0
    assert PASSWORD not in dichos(mensajes)


def test_wrong_password_counts_the_attempt(
    servicios_efirma: Servicios, persona: Persona, rfc: str, fiel: tuple[bytes, bytes, str]
) -> None:
    slots = con_archivos(servicios_efirma, fiel, persona, rfc)
    t = tracker(slots, requested="efirma_password", text="nop", candidates={"efirma_password": "nop"})
    events, mensajes = correr(ValidateCuentaForm(), t)
    assert events == [
        SlotSet("efirma_password", None),
        SlotSet("efirma_intentos", 1),
        SlotSet("requested_slot", "efirma_password"),
    ]
    assert "Te quedan 2 intentos" in dichos(mensajes)
    assert vault(servicios_efirma).count() == 2  # the key waits for the next try


def test_third_wrong_password_pauses_and_keeps_the_password_step_open(
    servicios_efirma: Servicios, persona: Persona, rfc: str, fiel: tuple[bytes, bytes, str]
) -> None:
    # Today (the test certificate is valid now) at 10:00, Mexico City.
    ahora = datetime.now(ZONA).replace(hour=10, minute=0, second=0, microsecond=0)
    servicios_efirma.ahora = lambda: ahora
    slots = con_archivos(servicios_efirma, fiel, persona, rfc)
    slots["efirma_intentos"] = 2
    t = tracker(slots, requested="efirma_password", text="nop", candidates={"efirma_password": "nop"})
    events, mensajes = correr(ValidateCuentaForm(), t)
    assert SlotSet("efirma_bloqueo_hasta", (ahora + timedelta(minutes=15)).timestamp()) in events
    assert SlotSet("efirma_intentos", 0) in events
    # The step stays open: what comes next may be a password again, so the engine keeps it secret.
    assert ActiveLoop(None) not in events and SlotSet("requested_slot", "efirma_password") in events
    assert SlotSet("efirma_key", None) in events and SlotSet("efirma_cer", None) in events
    assert "10:15" in dichos(mensajes)
    assert vault(servicios_efirma).count() == 0


def test_paused_conversation_cannot_start_the_form(servicios_efirma: Servicios, persona: Persona) -> None:
    ahora = datetime(2026, 5, 4, 10, 5, tzinfo=ZONA)
    servicios_efirma.ahora = lambda: ahora
    hasta = datetime(2026, 5, 4, 10, 15, tzinfo=ZONA).timestamp()
    t = tracker({"curp": None, "efirma_bloqueo_hasta": hasta}, requested=None, form="datos_form")
    events, mensajes = correr(ValidateDatosForm(), t)
    assert ActiveLoop(None) in events
    assert "pausé los trámites con e.firma" in dichos(mensajes) and "10:15" in dichos(mensajes)
    servicios_efirma.ahora = lambda: datetime(2026, 5, 4, 10, 16, tzinfo=ZONA)
    events, mensajes = correr(ValidateDatosForm(), t)
    assert ActiveLoop(None) not in events and mensajes == []


# ------------------------------------------------------------------------------------- submit


def _firmado(s: Servicios, fiel: tuple[bytes, bytes, str], persona: Persona, rfc: str) -> dict[str, Any]:
    slots = con_archivos(s, fiel, persona, rfc)
    t = tracker(slots, requested="efirma_password", text=PASSWORD, candidates={"efirma_password": PASSWORD})
    events, _ = correr(ValidateCuentaForm(), t)
    slots.update({e["name"]: e["value"] for e in events if e["event"] == "slot"})
    slots["terminos"] = True
    return slots


def test_crear_cuenta_records_the_account_and_sends_the_acuse(
    servicios_efirma: Servicios, persona: Persona, rfc: str, fiel: tuple[bytes, bytes, str]
) -> None:
    slots = _firmado(servicios_efirma, fiel, persona, rfc)
    dispatcher = CollectingDispatcher()
    events = ActionCrearCuenta().run(dispatcher, tracker(slots, requested=None), domain())
    cuenta = servicios_efirma.registro.cuenta(persona.curp)
    assert cuenta is not None and cuenta.rfc == rfc
    assert SlotSet("efirma_sello", None) in events and SlotSet("terminos", None) in events
    assert SlotSet("curp", None) not in events
    documento = dispatcher.messages[1]["custom"]["document"]
    contenido = pdf_text(documento["path"])
    assert cuenta.acuse_folio in contenido and cuenta.numero_certificado in contenido


def test_crear_cuenta_refuses_data_that_was_not_signed(
    servicios_efirma: Servicios, persona: Persona, rfc: str, fiel: tuple[bytes, bytes, str]
) -> None:
    slots = _firmado(servicios_efirma, fiel, persona, rfc)
    slots["email"] = "otro@example.com"
    dispatcher = CollectingDispatcher()
    ActionCrearCuenta().run(dispatcher, tracker(slots, requested=None), domain())
    assert textos(dispatcher.messages)[0].startswith("Tus datos cambiaron después de que firmaste")
    assert servicios_efirma.registro.cuenta(persona.curp) is None


def test_actualizar_datos_changes_contact_and_keeps_the_certificate_number(
    servicios_efirma: Servicios, persona: Persona, rfc: str, fiel: tuple[bytes, bytes, str]
) -> None:
    slots = con_archivos(servicios_efirma, fiel, persona, rfc)
    slots.update({"email_nuevo": "cambio@example.mx", "telefono_nuevo": "3312345678"})
    t = tracker(
        slots,
        requested="efirma_password",
        form="datos_form",
        text=PASSWORD,
        candidates={"efirma_password": PASSWORD},
    )
    events, _ = correr(ValidateDatosForm(), t)
    slots.update({e["name"]: e["value"] for e in events if e["event"] == "slot"})
    assert slots["requested_slot"] == "confirmar"
    slots["confirmar"] = True
    dispatcher = CollectingDispatcher()
    ActionActualizarDatos().run(dispatcher, tracker(slots, requested=None, form="datos_form"), domain())
    actualizada = servicios_efirma.registro.persona_por_curp(persona.curp)
    assert actualizada is not None and actualizada.email == "cambio@example.mx"
    assert actualizada.telefono == "3312345678"
    assert textos(dispatcher.messages)[0] == (
        f"¡Listo, {persona.nombre}! Actualicé tus medios de contacto. Tu correo es cambio@example.mx y tu "
        "teléfono es 3312345678."
    )
