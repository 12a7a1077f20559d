"""The steps every form signed with e.firma shares: .cer, .key, password, signature and the lockout.

Security rules these steps keep (docs/efirma.md):
- uploads are held by the vault (bot/vault.py), encrypted, for at most 10 minutes; the slots only
  carry the held file's id;
- the password lives in memory for one validation call: the slot is cleared in the same call, the
  engine stores the message and the slot redacted, and it is never repeated back;
- the key is wiped from the vault as soon as the signature is made, or when the form ends;
- after 3 wrong passwords, e.firma trámites pause for 15 minutes in the conversation (slots
  `efirma_intentos` and `efirma_bloqueo_hasta`, so the pause survives restarts).
"""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.servicios import Servicios, servicios
from actions.validacion import es_duda
from tramites.cuenta_efirma import DatosCertificado
from tramites.efirma import (
    ArchivoNoEsCertificado,
    ArchivoNoEsLlave,
    ConfiguracionEfirmaInvalida,
    ContrasenaIncorrecta,
    EfirmaError,
    LlaveNoCorresponde,
    fecha_mexico,
    formatear_fecha,
    revisar_certificado,
    validar_efirma,
    zona_mexico,
)
from tramites.identidad import enmascarar
from tramites.texto import fold

if TYPE_CHECKING:
    from actions.efirma_config import ConfigEfirma
    from bot.vault import FileVault

__all__ = [
    "MAX_INTENTOS",
    "PAUSA_BLOQUEO",
    "SLOTS_FIRMA",
    "SLOT_BLOQUEO",
    "SLOT_CADENA",
    "SLOT_CER",
    "SLOT_CERTIFICADO",
    "SLOT_FECHA",
    "SLOT_INTENTOS",
    "SLOT_KEY",
    "SLOT_PASSWORD",
    "SLOT_SELLO",
    "FormularioEfirma",
    "SolicitudFirmable",
    "bloqueo_vigente",
    "cerrar_firma",
    "config_efirma",
    "datos_firma",
    "enmascarar_email",
    "limpiar_firma",
    "mensaje_bloqueo",
]

logger = logging.getLogger(__name__)

SLOT_CER = "efirma_cer"
SLOT_KEY = "efirma_key"
SLOT_PASSWORD = "efirma_password"
SLOT_CERTIFICADO = "efirma_certificado"
SLOT_SELLO = "efirma_sello"
SLOT_CADENA = "efirma_cadena"
SLOT_FECHA = "efirma_fecha"
SLOT_INTENTOS = "efirma_intentos"
SLOT_BLOQUEO = "efirma_bloqueo_hasta"
SLOTS_FIRMA = (SLOT_CER, SLOT_KEY, SLOT_PASSWORD, SLOT_CERTIFICADO, SLOT_SELLO, SLOT_CADENA, SLOT_FECHA)
"""Per-signature slots, cleared when the form ends; the lockout slots are not among them."""

MAX_INTENTOS = 3
PAUSA_BLOQUEO = timedelta(minutes=15)

_ARCHIVOS = (SLOT_CER, SLOT_KEY)
#: Identity slots outlive an ended form, like the engine's cancel keeps them.
_CONSERVAR = {"curp", "rfc", "email", "nss"}
#: Button payloads ("/obtener_nss"), never taken for a password.
_PAYLOAD = re.compile(r"^/[a-z_]+$")
#: A validation output key that never leaves the action: it asks `run` to end the form.
_TERMINAR = "__efirma_terminar__"


class SolicitudFirmable(Protocol):
    """Anything with a cadena original the person signs."""

    def cadena_original(self) -> str:
        """The exact text that is signed."""
        ...


def config_efirma(s: Servicios) -> ConfigEfirma:
    """The installed e.firma configuration, or the default (no trust store: checks say so)."""
    from actions.efirma_config import ConfigEfirma

    if s.efirma is None:
        s.efirma = ConfigEfirma()
    return s.efirma


def _vault(s: Servicios) -> FileVault:
    if s.vault is None:
        raise RuntimeError("The e.firma forms need Servicios.vault (bot.vault.FileVault)")
    return s.vault


def enmascarar_email(email: str) -> str:
    """"a***@dominio.mx": enough for the person to recognise it, not to read it."""
    usuario, _, dominio = email.partition("@")
    return f"{usuario[:1]}***@{dominio}" if dominio else "***"


def bloqueo_vigente(tracker: Tracker, ahora: datetime) -> datetime | None:
    """When the e.firma pause of this conversation ends, if it has not ended yet."""
    valor = tracker.get_slot(SLOT_BLOQUEO)
    if not isinstance(valor, int | float):
        return None
    hasta = datetime.fromtimestamp(float(valor), tz=ahora.tzinfo or zona_mexico())
    return hasta if ahora < hasta else None


def mensaje_bloqueo(hasta: datetime) -> str:
    """What the person reads while e.firma trámites are paused."""
    hora = hasta.astimezone(zona_mexico()).strftime("%H:%M")
    return (
        f"Por seguridad pausé los trámites con e.firma en esta conversación durante "
        f"{int(PAUSA_BLOQUEO.total_seconds() // 60)} minutos. Podrás intentarlo de nuevo a partir de las "
        f"{hora} (hora del centro de México). Si olvidaste tu contraseña, puedes renovarla en el SAT."
    )


def limpiar_firma(form_slots: list[str]) -> list[EventType]:
    """Clear the form's slots (identity slots stay) and every per-signature slot."""
    nombres = [s for s in form_slots if s not in _CONSERVAR and s not in SLOTS_FIRMA]
    return [SlotSet(s, None) for s in (*nombres, *SLOTS_FIRMA)]


def cerrar_firma(
    tracker: Tracker, domain: DomainDict, formulario: str
) -> tuple[list[EventType], tuple[DatosCertificado, str, str, datetime] | None]:
    """At submit: wipe the held files, and return the slot resets plus the signature made in the form."""
    s = servicios()
    limpiar = limpiar_firma(list(domain.get("forms", {}).get(formulario, {}).get("required_slots", [])))
    if s.vault is not None:
        s.vault.release_conversation(tracker.sender_id)
    return limpiar, datos_firma(tracker)


def datos_firma(tracker: Tracker) -> tuple[DatosCertificado, str, str, datetime] | None:
    """(certificate data, cadena, firma, fecha) of the signature made in this form, if any."""
    certificado = tracker.get_slot(SLOT_CERTIFICADO)
    sello = tracker.get_slot(SLOT_SELLO)
    cadena = tracker.get_slot(SLOT_CADENA)
    fecha = tracker.get_slot(SLOT_FECHA)
    if not (isinstance(certificado, dict) and sello and cadena and fecha):
        return None
    datos = DatosCertificado.desde_dict(certificado)
    return datos, str(cadena), str(sello), datetime.fromisoformat(str(fecha))


def _adjunto(tracker: Tracker) -> dict[str, Any] | None:
    metadata = tracker.latest_message.get("metadata") or {}
    adjunto = metadata.get("attachment") if isinstance(metadata, dict) else None
    return adjunto if isinstance(adjunto, dict) else None


def _rechazo(adjunto: dict[str, Any], esperado: str) -> str | None:
    """The vault's reason for refusing the upload, phrased for the file we asked for."""
    motivo = adjunto.get("motivo")
    if esperado == "llave" and motivo in ("ArchivoNoEsCertificado", "CertificadoSinRfc"):
        return ArchivoNoEsLlave.MENSAJE
    if esperado == "certificado" and motivo == "ArchivoNoEsLlave":
        return ArchivoNoEsCertificado.MENSAJE
    rechazo = adjunto.get("rechazo")
    return str(rechazo) if rechazo else None


class FormularioEfirma(FormValidationAction, ABC):
    """Validation shared by the forms that end with an e.firma signature."""

    @abstractmethod
    def solicitud(
        self, tracker: Tracker, certificado: DatosCertificado, fecha: datetime
    ) -> SolicitudFirmable:
        """What the person signs, from the form's slots."""

    def rfc_esperado(self, tracker: Tracker) -> str | None:
        """The RFC the certificate must carry (None: the form does not ask for one)."""
        return None

    def impedimento(self, tracker: Tracker) -> str | None:
        """Why the form cannot start with the slots it already has (checked on activation), or None."""
        return None

    # -- the whole run -------------------------------------------------------------------

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Lockout and stray uploads first; then rasa-sdk's extraction and validation."""
        s = servicios()
        form_slots = self.domain_slots(domain)
        hasta = bloqueo_vigente(tracker, s.ahora())
        if hasta is not None:
            dispatcher.utter_message(text=mensaje_bloqueo(hasta))
            return self._terminar(tracker, form_slots)
        requested = tracker.get_slot("requested_slot")
        if requested is None:
            # Just activated: slots filled earlier in the conversation were never validated here.
            impedimento = self.impedimento(tracker)
            if impedimento:
                dispatcher.utter_message(text=impedimento)
                return self._terminar(tracker, form_slots)
        adjunto = _adjunto(tracker)
        if adjunto is not None and requested not in _ARCHIVOS:
            if adjunto.get("id") and s.vault is not None:
                s.vault.release(str(adjunto["id"]))
            dispatcher.utter_message(text="Todavía no necesito archivos; primero termina este paso.")
            if requested:
                dispatcher.utter_message(response=f"utter_ask_{requested}")
            return []
        events: list[EventType] = list(await super().run(dispatcher, tracker, domain))
        if any(e.get("event") == "slot" and e.get("name") == _TERMINAR for e in events):
            kept = [
                e for e in events
                if not (e.get("event") == "slot" and e.get("name") in (_TERMINAR, "requested_slot"))
            ]
            return kept + self._terminar(tracker, form_slots)
        return events

    def _terminar(self, tracker: Tracker, form_slots: list[str]) -> list[EventType]:
        """End the form: wipe held files, clear the per-signature slots, deactivate."""
        vault = servicios().vault
        if vault is not None:
            vault.release_conversation(tracker.sender_id)
        return [*limpiar_firma(form_slots), ActiveLoop(None), SlotSet("requested_slot", None)]

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Once signed, the files and the password are no longer asked for."""
        if tracker.get_slot(SLOT_SELLO):
            return [s for s in domain_slots if s not in (SLOT_CER, SLOT_KEY, SLOT_PASSWORD)]
        return domain_slots

    # -- typed identity slots ------------------------------------------------------------

    @staticmethod
    def texto_pedido(tracker: Tracker, slot: str) -> dict[str, Any]:
        """The message text as the candidate for `slot` when the form asked for it (Rasa's from_text)."""
        if tracker.get_slot("requested_slot") != slot or tracker.get_slot(slot) is not None:
            return {}
        texto = str(tracker.latest_message.get("text") or "").strip()
        if not texto or texto.startswith("/"):
            return {}
        return {slot: texto}

    # -- .cer ----------------------------------------------------------------------------

    def extract_efirma_cer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The upload's metadata when the form asked for the certificate."""
        adjunto = _adjunto(tracker)
        if tracker.get_slot("requested_slot") != SLOT_CER or adjunto is None:
            return {}
        return {SLOT_CER: adjunto}

    def validate_efirma_cer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Check the certificate right away (FIEL, validity, identity, issuer) and say whose it is."""
        if not isinstance(value, dict):
            return {SLOT_CER: None}
        s = servicios()
        rechazo = _rechazo(value, "certificado")
        if rechazo:
            return self._otra_vez(dispatcher, SLOT_CER, rechazo)
        held_id = str(value.get("id") or "")
        vault = _vault(s)
        if value.get("kind") == "llave":
            vault.release(held_id)
            return self._otra_vez(
                dispatcher,
                SLOT_CER,
                "Ese archivo es tu llave privada (.key). Primero necesito el certificado (.cer); "
                "la llave te la pido después.",
            )
        data = vault.take(tracker.sender_id, held_id)
        if data is None:
            return self._otra_vez(dispatcher, SLOT_CER, "Ya no tengo ese archivo.")
        try:
            certificado = revisar_certificado(
                data,
                ahora=s.ahora(),
                almacen=config_efirma(s).almacen(),
                curp_esperada=tracker.get_slot("curp"),
                rfc_esperado=self.rfc_esperado(tracker),
            )
        except ConfiguracionEfirmaInvalida as error:
            logger.error("e.firma trust store problem: %s", error.detalle)
            dispatcher.utter_message(text=error.mensaje)
            return {SLOT_CER: None, _TERMINAR: True}
        except EfirmaError as error:
            vault.release(held_id)
            logger.info("Certificate refused in %s: %s", tracker.sender_id, type(error).__name__)
            return self._otra_vez(dispatcher, SLOT_CER, error.mensaje)
        datos = DatosCertificado.de_certificado(certificado)
        dispatcher.utter_message(
            text=f"Recibí tu certificado: es la e.firma de {datos.nombre} (RFC {enmascarar(datos.rfc)}), "
            f"número de certificado {datos.numero_certificado}, vigente hasta el "
            f"{formatear_fecha(fecha_mexico(datos.valido_hasta))}."
        )
        return {SLOT_CER: held_id, SLOT_CERTIFICADO: datos.como_dict()}

    # -- .key ----------------------------------------------------------------------------

    def extract_efirma_key(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The upload's metadata when the form asked for the private key."""
        adjunto = _adjunto(tracker)
        if tracker.get_slot("requested_slot") != SLOT_KEY or adjunto is None:
            return {}
        return {SLOT_KEY: adjunto}

    def validate_efirma_key(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept an encrypted key (it is opened only with the password); refuse anything else."""
        if not isinstance(value, dict):
            return {SLOT_KEY: None}
        rechazo = _rechazo(value, "llave")
        if rechazo:
            return self._otra_vez(dispatcher, SLOT_KEY, rechazo)
        held_id = str(value.get("id") or "")
        if value.get("kind") != "llave":
            _vault(servicios()).release(held_id)
            return self._otra_vez(
                dispatcher,
                SLOT_KEY,
                "Ese archivo es un certificado (.cer). Ahora necesito tu llave privada: el archivo .key "
                "que el SAT te dio junto con tu certificado.",
            )
        dispatcher.utter_message(text="Recibí tu llave privada (.key).")
        return {SLOT_KEY: held_id}

    # -- password and signature ----------------------------------------------------------

    def validate_efirma_password(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Open the key with the password, run every check and sign; the slot is always cleared."""
        texto = str(value or "")
        # "cancelar" never gets here: the engine ends the form first. Telling the person their message
        # was deleted is the channel's job (it knows whether it could delete it).
        if _PAYLOAD.match(texto):
            # A button tapped from an earlier message, not a password: no attempt is counted.
            dispatcher.utter_message(
                text="Para seguir, escribe la contraseña de tu llave privada (.key), "
                "o \"cancelar\" para salir."
            )
            return {SLOT_PASSWORD: None}
        s = servicios()
        vault = _vault(s)
        cer_id = str(tracker.get_slot(SLOT_CER) or "")
        key_id = str(tracker.get_slot(SLOT_KEY) or "")
        cer = vault.take(tracker.sender_id, cer_id) if cer_id else None
        key = vault.take(tracker.sender_id, key_id) if key_id else None
        if cer is None or key is None:
            vault.release_conversation(tracker.sender_id)
            dispatcher.utter_message(
                text="Pasaron más de 10 minutos desde que subiste tus archivos y los borré por seguridad. "
                "Súbelos de nuevo, empezando por el certificado (.cer)."
            )
            return {SLOT_PASSWORD: None, SLOT_CER: None, SLOT_KEY: None, SLOT_CERTIFICADO: None}
        ahora = s.ahora()
        config = config_efirma(s)
        try:
            validada = validar_efirma(
                cer,
                key,
                texto,
                ahora=ahora,
                almacen=config.almacen(),
                revocacion=config.revocacion,
                curp_esperada=tracker.get_slot("curp"),
                rfc_esperado=self.rfc_esperado(tracker),
            )
        except ContrasenaIncorrecta:
            return self._contrasena_incorrecta(dispatcher, tracker, ahora)
        except LlaveNoCorresponde as error:
            vault.release(key_id)
            dispatcher.utter_message(text=error.mensaje)
            return {SLOT_PASSWORD: None, SLOT_KEY: None}
        except ArchivoNoEsLlave as error:
            vault.release(key_id)
            dispatcher.utter_message(text=error.mensaje)
            return {SLOT_PASSWORD: None, SLOT_KEY: None}
        except ConfiguracionEfirmaInvalida as error:
            logger.error("e.firma trust store problem: %s", error.detalle)
            dispatcher.utter_message(text=error.mensaje)
            return {SLOT_PASSWORD: None, _TERMINAR: True}
        except EfirmaError as error:
            # The certificate stopped passing (expired or revoked meanwhile): start again from the .cer.
            vault.release_conversation(tracker.sender_id)
            dispatcher.utter_message(text=error.mensaje)
            return {SLOT_PASSWORD: None, SLOT_CER: None, SLOT_KEY: None, SLOT_CERTIFICADO: None}
        fecha = ahora.replace(microsecond=0)
        datos = DatosCertificado.de_certificado(validada.certificado)
        cadena = self.solicitud(tracker, datos, fecha).cadena_original()
        sello = validada.firmar(cadena)
        vault.release(key_id)
        vault.release(cer_id)
        if validada.aviso_revocacion:
            logger.info("e.firma %s: %s", datos.numero_certificado, validada.aviso_revocacion)
        del validada
        dispatcher.utter_message(
            text="Listo: tu e.firma firmó la solicitud. Ya borré tu llave privada; "
            "tu contraseña no la guardé."
        )
        return {
            SLOT_PASSWORD: None,
            SLOT_INTENTOS: 0,
            SLOT_CER: None,
            SLOT_KEY: None,
            SLOT_CERTIFICADO: datos.como_dict(),
            SLOT_SELLO: sello,
            SLOT_CADENA: cadena,
            SLOT_FECHA: fecha.isoformat(),
        }

    def _contrasena_incorrecta(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ahora: datetime
    ) -> dict[str, Any]:
        previos = tracker.get_slot(SLOT_INTENTOS)
        intentos = (int(previos) if isinstance(previos, int | float) else 0) + 1
        logger.info("Wrong e.firma password in %s (attempt %d)", tracker.sender_id, intentos)
        if intentos >= MAX_INTENTOS:
            hasta = ahora + PAUSA_BLOQUEO
            dispatcher.utter_message(
                text=f"La contraseña no es correcta y ya van {MAX_INTENTOS} intentos. "
                + mensaje_bloqueo(hasta)
            )
            return {
                SLOT_PASSWORD: None,
                SLOT_INTENTOS: 0,
                SLOT_BLOQUEO: hasta.timestamp(),
                _TERMINAR: True,
            }
        restantes = MAX_INTENTOS - intentos
        aviso = "Te queda 1 intento" if restantes == 1 else f"Te quedan {restantes} intentos"
        dispatcher.utter_message(
            text=f"{ContrasenaIncorrecta.MENSAJE} {aviso} antes de que pause los trámites con e.firma "
            f"por {int(PAUSA_BLOQUEO.total_seconds() // 60)} minutos. Escríbela de nuevo."
        )
        return {SLOT_PASSWORD: None, SLOT_INTENTOS: intentos}

    @staticmethod
    def _otra_vez(dispatcher: CollectingDispatcher, slot: str, motivo: str) -> dict[str, Any]:
        """Say what is wrong and ask for the same file again."""
        dispatcher.utter_message(text=motivo)
        dispatcher.utter_message(response=f"utter_ask_{slot}")
        return {slot: None}

    # -- the final yes/no ----------------------------------------------------------------

    @staticmethod
    def respuesta_si_no(tracker: Tracker, slot: str) -> dict[str, Any]:
        """"acepto"/"sí" → True, "no" → False, when the form asked `slot` (besides the intent mappings)."""
        if tracker.get_slot("requested_slot") != slot or tracker.get_slot(slot) is not None:
            return {}
        texto = fold(str(tracker.latest_message.get("text") or ""))
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if texto.startswith("no ") or texto == "no" or intent == "negar":
            return {slot: False}
        if intent == "afirmar" or "acepto" in texto.split() or texto in ("si", "sí", "confirmo"):
            return {slot: True}
        return {}

    @classmethod
    def respuesta_final(
        cls,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        slot: str,
        value: Any,
        *,
        pregunta: str,
        despedida: str,
    ) -> dict[str, Any]:
        """The last sí/no of a form: yes goes on, a doubt asks `pregunta` again, no ends with `despedida`."""
        if value is True:
            return {slot: True}
        if es_duda(str(tracker.latest_message.get("text") or "")):
            # "no sé" reads as a "no" to the NLU; it must not throw the signature away.
            dispatcher.utter_message(text=pregunta)
            return {slot: None}
        return cls.terminar(dispatcher, despedida, slot)

    @staticmethod
    def terminar(dispatcher: CollectingDispatcher, mensaje: str, slot: str) -> dict[str, Any]:
        """Say `mensaje` and end the form (the signature, if any, is discarded)."""
        dispatcher.utter_message(text=mensaje)
        return {slot: None, _TERMINAR: True}
