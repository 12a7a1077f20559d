"""The steps every form signed with e.firma shares: .cer, .key, password, signature, the pause, the submit.

The rules (custody of the files, the password's one use, the pause after wrong passwords) live in
`tramites.firma_efirma`; here they meet the conversation. The password slot is cleared in the same call,
and the engine stores the message and the slot redacted.

Wrong passwords are counted per certificate number in the database (rule `contrasenas_efirma` of
data/limites.yml), so a new conversation does not get fresh attempts; the conversation keeps its own
count too. After the pause starts, the password step stays open: whatever is typed there is still a
possible password, so the engine neither stores nor parses it, and it is answered with the pause.
"""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.accion import Accion
from actions.dialogo import clave_del_mensaje, enviar_documento, explicar
from actions.formulario import Formulario, limpiar, slots_del_formulario
from actions.servicios import Servicios, servicios
from tramites.contacto import enmascarar_email
from tramites.cuenta_efirma import AcuseEmitido, DatosCertificado, FirmaHecha
from tramites.efirma import (
    ArchivoNoEsLlave,
    ConfiguracionEfirmaInvalida,
    ContrasenaIncorrecta,
    LlaveNoCorresponde,
    fecha_mexico,
    zona_mexico,
)
from tramites.efirma.archivos import TipoArchivo
from tramites.efirma.custodia import ArchivoRecibido, SqlCustodia
from tramites.errores import TramiteError
from tramites.firma_efirma import (
    MAX_INTENTOS,
    PAUSA_BLOQUEO,
    SolicitudFirmable,
    firmar_solicitud,
    intento_fallido,
    revisar_certificado_subido,
)
from tramites.identidad import enmascarar
from tramites.registro.formato import fecha_corta

__all__ = [
    "REGLA_CONTRASENAS",
    "SLOTS_FIRMA",
    "AccionFirmada",
    "ActionPreguntarContrasena",
    "FormularioEfirma",
    "bloqueo_vigente",
    "pausa_del_certificado",
    "pregunta_final",
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
SLOTS_FIRMA = (SLOT_CERTIFICADO, SLOT_SELLO, SLOT_CADENA, SLOT_FECHA)
"""The signature made in the form, forgotten with the form; the pause slots are not among them."""

_ARCHIVOS = (SLOT_CER, SLOT_KEY)
#: What to say when the other file of the pair arrives instead of the one asked for.
_OTRO_ARCHIVO: dict[TipoArchivo, str] = {
    "certificado": "utter_efirma_llave_antes_que_cer",
    "llave": "utter_efirma_cer_en_lugar_de_key",
}
_MINUTOS_PAUSA = int(PAUSA_BLOQUEO.total_seconds() // 60)
REGLA_CONTRASENAS = "contrasenas_efirma"
"""The rule of data/limites.yml that counts wrong passwords per certificate number."""
#: Button payloads ("/obtener_nss"), never taken for a password.
_PAYLOAD = re.compile(r"^/[a-z_]+$")
#: What to forget when both files must be uploaded again.
_SIN_ARCHIVOS = {SLOT_PASSWORD: None, SLOT_CER: None, SLOT_KEY: None, SLOT_CERTIFICADO: None}


def _custodia(s: Servicios) -> SqlCustodia:
    if s.vault is None:
        raise RuntimeError("The e.firma forms need Servicios.vault (tramites.efirma.custodia.SqlCustodia)")
    return s.vault


def bloqueo_vigente(tracker: Tracker, ahora: datetime) -> datetime | None:
    """When the e.firma pause of this conversation ends, if it has not ended yet."""
    valor = tracker.get_slot(SLOT_BLOQUEO)
    if not isinstance(valor, int | float):
        return None
    hasta = datetime.fromtimestamp(float(valor), tz=ahora.tzinfo or zona_mexico())
    return hasta if ahora < hasta else None


def _decir_pausa(dispatcher: CollectingDispatcher, hasta: datetime) -> None:
    hora = hasta.astimezone(zona_mexico()).strftime("%H:%M")
    dispatcher.utter_message(response="utter_efirma_pausada", minutos=_minutos_pausa(), hora=hora)


def _minutos_pausa() -> int:
    """The pause's length: the window of the certificate rule, or the conversation's own pause."""
    limites = servicios().limites
    regla = limites.reglas.get(REGLA_CONTRASENAS) if limites is not None else None
    return int(regla.ventana.total_seconds() // 60) if regla is not None else _MINUTOS_PAUSA


def _numero_certificado(tracker: Tracker) -> str | None:
    """The number of the certificate checked in this form, if any."""
    datos = tracker.get_slot(SLOT_CERTIFICADO)
    numero = datos.get("numero_certificado") if isinstance(datos, dict) else None
    return str(numero) if numero else None


def pausa_del_certificado(numero: str | None) -> datetime | None:
    """When this certificate's pause (too many wrong passwords, in any conversation) ends, if it is on."""
    limites = servicios().limites
    if limites is None or not numero:
        return None
    decision = limites.consultar(REGLA_CONTRASENAS, numero)
    return None if decision.permitido else decision.reintentar_desde


def _adjunto(tracker: Tracker) -> dict[str, Any] | None:
    metadata = tracker.latest_message.get("metadata") or {}
    adjunto = metadata.get("attachment") if isinstance(metadata, dict) else None
    return adjunto if isinstance(adjunto, dict) else None


def _firma(tracker: Tracker) -> FirmaHecha | None:
    """The signature made in this form, if any."""
    certificado = tracker.get_slot(SLOT_CERTIFICADO)
    sello, cadena, fecha = (tracker.get_slot(s) for s in (SLOT_SELLO, SLOT_CADENA, SLOT_FECHA))
    if not (isinstance(certificado, dict) and sello and cadena and fecha):
        return None
    return FirmaHecha(
        certificado=DatosCertificado.desde_dict(certificado),
        cadena=str(cadena),
        sello=str(sello),
        fecha=datetime.fromisoformat(str(fecha)),
    )


def _subido(slot: str) -> Callable[..., dict[str, Any]]:
    """An `extract_<slot>` for a file: the upload's metadata when the form asked for that file."""

    def extraer(
        self: FormularioEfirma, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        adjunto = _adjunto(tracker)
        if tracker.get_slot("requested_slot") != slot or adjunto is None:
            return {}
        return {slot: adjunto}

    extraer.__doc__ = f"The upload's metadata when the form asked for `{slot}`."
    return extraer


def _recibido(dispatcher: CollectingDispatcher, valor: Any, esperado: TipoArchivo) -> str | None:
    """The custody id of an upload of the kind the form asked for; else say why (a wrong file is wiped)."""
    if not isinstance(valor, dict):
        return None
    archivo = ArchivoRecibido.from_metadata(valor)
    rechazo = archivo.mensaje_para(esperado)
    if rechazo is not None or archivo.id is None:
        dispatcher.utter_message(response="utter_explicacion", mensaje=rechazo)
        return None
    if archivo.tipo != esperado:
        _custodia(servicios()).release(archivo.id)
        dispatcher.utter_message(response=_OTRO_ARCHIVO[esperado])
        return None
    return archivo.id


def pregunta_final(
    slot: str, *, si: str, no: str, despedida: str
) -> tuple[Callable[..., dict[str, Any]], Callable[..., dict[str, Any]]]:
    """`extract_<slot>` and `validate_<slot>` for the last sí/no of a signed form.

    Yes goes on; a doubt says how to answer (and the question comes again); no ends the form with the
    `despedida` response, and the signature is discarded: nothing is sent.
    """

    def extraer(
        self: FormularioEfirma, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self.si_no_escrito(tracker, slot)

    def validar(
        self: FormularioEfirma,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        respuesta = self.si_no(dispatcher, tracker, value, si=si, no=no)
        if respuesta is False:
            dispatcher.utter_message(response=despedida)
            return self.terminar(**{slot: None})
        return {slot: respuesta}

    extraer.__doc__ = f"«{si}» / «{no}» typed in the person's words when `{slot}` was asked."
    validar.__doc__ = f"Only «{si}» goes on; «{no}» ends the form (`{despedida}`)."
    return extraer, validar


class FormularioEfirma(Formulario, ABC):
    """Validation shared by the forms that end with an e.firma signature."""

    SLOTS_EXTRA = SLOTS_FIRMA

    @abstractmethod
    def solicitud(
        self, tracker: Tracker, certificado: DatosCertificado, fecha: datetime
    ) -> SolicitudFirmable:
        """What the person signs, from the form's slots."""

    def rfc_esperado(self, tracker: Tracker) -> str | None:
        """The RFC the certificate must carry (None: the form does not ask for one)."""
        return None

    def impedimento(self, tracker: Tracker) -> TramiteError | None:
        """Why the form cannot start with the slots it already has (checked on activation), or None."""
        return None

    # -- before rasa-sdk's validation ------------------------------------------------------

    async def antes(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType] | None:
        """The pause and the form's impediment end it; an upload it did not ask for is dropped."""
        hasta = bloqueo_vigente(tracker, servicios().ahora())
        requested = tracker.get_slot("requested_slot")
        if hasta is not None and requested == SLOT_PASSWORD:
            # Typed at the paused password step: maybe a password again. Not tried, not kept.
            _decir_pausa(dispatcher, hasta)
            return [SlotSet(SLOT_PASSWORD, None), SlotSet("requested_slot", SLOT_PASSWORD)]
        if hasta is not None:
            _decir_pausa(dispatcher, hasta)
            return self.cerrar(tracker, domain)
        # Just activated: slots filled earlier in the conversation were never validated here.
        impedimento = self.impedimento(tracker) if requested is None else None
        if impedimento is not None:
            explicar(dispatcher, impedimento)
            return self.cerrar(tracker, domain)
        adjunto = _adjunto(tracker)
        if adjunto is not None and requested not in _ARCHIVOS:
            archivo = ArchivoRecibido.from_metadata(adjunto)
            if archivo.id:
                _custodia(servicios()).release(archivo.id)
            dispatcher.utter_message(response="utter_efirma_archivo_a_destiempo")
            return []
        return None

    def cerrar(self, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """End the form: wipe the held files too."""
        _custodia(servicios()).release_conversation(tracker.sender_id)
        return super().cerrar(tracker, domain)

    async def requeridos(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """Once signed, the files and the password are no longer asked for."""
        if tracker.get_slot(SLOT_SELLO):
            return [s for s in domain_slots if s not in (SLOT_CER, SLOT_KEY, SLOT_PASSWORD)]
        return domain_slots

    def extract_curp(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The typed text when the CURP was asked; a CURP-looking token in the opening message."""
        return self.texto_pedido(tracker, "curp") or self.candidato_al_activar(tracker, "curp", "CURP")

    # -- the two files ------------------------------------------------------------------

    extract_efirma_cer = _subido(SLOT_CER)
    extract_efirma_key = _subido(SLOT_KEY)

    def validate_efirma_cer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Check the certificate right away (FIEL, validity, identity, issuer) and say whose it is."""
        archivo = _recibido(dispatcher, value, "certificado")
        if archivo is None:
            return {SLOT_CER: None}
        s = servicios()
        try:
            datos = revisar_certificado_subido(
                _custodia(s), s.efirma, tracker.sender_id, archivo,
                ahora=s.ahora(), curp=tracker.get_slot("curp"), rfc=self.rfc_esperado(tracker),
            )
        except ConfiguracionEfirmaInvalida as error:
            explicar(dispatcher, error)
            return self.terminar(**{SLOT_CER: None})
        except TramiteError as error:
            explicar(dispatcher, error)
            return {SLOT_CER: None}
        pausa = pausa_del_certificado(datos.numero_certificado)
        if pausa is not None:
            # Too many wrong passwords for this e.firma, maybe in another conversation: no new attempts.
            _decir_pausa(dispatcher, pausa)
            return self.terminar(**{SLOT_CER: None, SLOT_BLOQUEO: pausa.timestamp()})
        dispatcher.utter_message(
            response="utter_efirma_certificado_recibido",
            nombre=datos.nombre,
            rfc=enmascarar(datos.rfc),
            numero=datos.numero_certificado,
            vigente_hasta=fecha_corta(fecha_mexico(datos.valido_hasta)),
        )
        return {SLOT_CER: archivo, SLOT_CERTIFICADO: datos.como_dict()}

    def validate_efirma_key(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Accept an encrypted key (it is opened only with the password); refuse anything else."""
        archivo = _recibido(dispatcher, value, "llave")
        if archivo is not None:
            dispatcher.utter_message(response="utter_efirma_llave_recibida")
        return {SLOT_KEY: archivo}

    # -- password and signature ----------------------------------------------------------

    def validate_efirma_password(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Open the key with the password, run every check and sign; the slot is always cleared."""
        texto = str(value or "")
        # "cancelar" never gets here: the engine ends the form first. Telling the person their message was
        # deleted is the channel's job, since only the channel knows whether it could delete it.
        if _PAYLOAD.match(texto):
            # A button tapped from an earlier message, not a password: no attempt is counted.
            dispatcher.utter_message(response="utter_efirma_escribe_la_contrasena")
            return {SLOT_PASSWORD: None}
        s = servicios()
        ahora = s.ahora()
        pausa = pausa_del_certificado(_numero_certificado(tracker))
        if pausa is not None:
            # Paused by wrong passwords in another conversation: even the right one is not tried now.
            return self._pausar(dispatcher, tracker, pausa)
        try:
            firma = firmar_solicitud(
                _custodia(s), s.efirma, tracker.sender_id,
                (str(tracker.get_slot(SLOT_CER) or ""), str(tracker.get_slot(SLOT_KEY) or "")),
                texto,
                lambda certificado, fecha: self.solicitud(tracker, certificado, fecha),
                ahora=ahora, curp=tracker.get_slot("curp"), rfc=self.rfc_esperado(tracker),
            )
        except ContrasenaIncorrecta:
            return self._contrasena_incorrecta(dispatcher, tracker, ahora)
        except (LlaveNoCorresponde, ArchivoNoEsLlave) as error:
            explicar(dispatcher, error)
            return {SLOT_PASSWORD: None, SLOT_KEY: None}
        except ConfiguracionEfirmaInvalida as error:
            explicar(dispatcher, error)
            return self.terminar(**{SLOT_PASSWORD: None})
        except TramiteError as error:
            # Files expired, or the certificate stopped passing meanwhile: start again from the .cer.
            explicar(dispatcher, error)
            return dict(_SIN_ARCHIVOS)
        numero = _numero_certificado(tracker)
        if s.limites is not None and numero:
            s.limites.olvidar(REGLA_CONTRASENAS, numero)
        dispatcher.utter_message(response="utter_efirma_firmada")
        return {
            **_SIN_ARCHIVOS,
            SLOT_INTENTOS: 0,
            SLOT_CERTIFICADO: firma.certificado.como_dict(),
            SLOT_SELLO: firma.sello,
            SLOT_CADENA: firma.cadena,
            SLOT_FECHA: firma.fecha.isoformat(),
        }

    def _contrasena_incorrecta(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, ahora: datetime
    ) -> dict[str, Any]:
        previos = tracker.get_slot(SLOT_INTENTOS)
        intento = intento_fallido(int(previos) if isinstance(previos, int | float) else 0, ahora)
        logger.info("Wrong e.firma password in %s (attempt %d)", tracker.sender_id, intento.intentos)
        pausas = [intento.pausa_hasta] if intento.pausa_hasta else []
        restantes = intento.restantes
        numero = _numero_certificado(tracker)
        limites = servicios().limites
        if limites is not None and numero:
            # The certificate's count, across conversations: the stricter of the two wins.
            limites.intentar(REGLA_CONTRASENAS, numero)
            pausas += [p for p in [pausa_del_certificado(numero)] if p is not None]
            regla = limites.reglas.get(REGLA_CONTRASENAS)
            if regla is not None:
                restantes = min(restantes, regla.maximo - limites.usados(REGLA_CONTRASENAS, numero))
        if pausas:
            dispatcher.utter_message(response="utter_efirma_ultimo_intento", intentos=MAX_INTENTOS)
            return self._pausar(dispatcher, tracker, max(pausas))
        dispatcher.utter_message(
            response="utter_efirma_contrasena_incorrecta_1" if restantes == 1
            else "utter_efirma_contrasena_incorrecta",
            restantes=restantes,
            minutos=_minutos_pausa(),
        )
        return {SLOT_PASSWORD: None, SLOT_INTENTOS: intento.intentos}

    def _pausar(self, dispatcher: CollectingDispatcher, tracker: Tracker, hasta: datetime) -> dict[str, Any]:
        """Start the pause: the files are wiped, and the password step stays open (typing there is secret)."""
        _decir_pausa(dispatcher, hasta)
        _custodia(servicios()).release_conversation(tracker.sender_id)
        return {
            **_SIN_ARCHIVOS,
            SLOT_INTENTOS: 0,
            SLOT_BLOQUEO: hasta.timestamp(),
            "requested_slot": SLOT_PASSWORD,
        }



class ActionPreguntarContrasena(Accion):
    """Asks for the key's password; while the pause lasts, says that nothing typed there is read."""

    NOMBRE = "action_ask_efirma_password"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """The question, the question again after a typed answer, or the pause's reminder."""
        if bloqueo_vigente(tracker, servicios().ahora()) is not None:
            dispatcher.utter_message(response="utter_efirma_pausa_no_leo")
        elif _adjunto(tracker) is not None:
            # The key was just uploaded: the first time the password is asked.
            dispatcher.utter_message(response="utter_ask_efirma_password")
        else:
            dispatcher.utter_message(response="utter_reask_efirma_password")
        return []


class AccionFirmada(Accion, ABC):
    """The submit of a signed form: one use case with the signature, then the acuse and the slots reset."""

    FORMULARIO: ClassVar[str]
    RESPUESTA: ClassVar[str]
    """The response that says what was done (with `{nombre}`, `{email}` and the slots)."""

    @abstractmethod
    def tramite(self, s: Servicios, tracker: Tracker, firma: FirmaHecha, clave: str | None) -> AcuseEmitido:
        """Run the trámite's use case with the form's slots and the signature."""

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Wipe the held files, run the use case, send the acuse; the form's slots are forgotten."""
        s = servicios()
        _custodia(s).release_conversation(tracker.sender_id)
        olvidar = limpiar(slots_del_formulario(domain, self.FORMULARIO, SLOTS_FIRMA))
        firma = _firma(tracker)
        if firma is None or not tracker.get_slot("curp"):
            dispatcher.utter_message(response="utter_error")
            return olvidar
        try:
            acuse = self.tramite(s, tracker, firma, clave_del_mensaje(tracker))
        except TramiteError as error:
            explicar(dispatcher, error)
            return olvidar
        dispatcher.utter_message(
            response=self.RESPUESTA,
            nombre=acuse.nombre,
            email=acuse.email,
            email_oculto=enmascarar_email(acuse.email),
            telefono=acuse.telefono,
        )
        enviado = enviar_documento(dispatcher, tracker, acuse.documento, "utter_documento_acuse")
        return [*olvidar, SlotSet("email", acuse.email), enviado]

