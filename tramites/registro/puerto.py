"""The IMSS back-end port: everything the trámites read from or write to the registry."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from tramites.registro.modelos import Beneficiario, Cuenta, Empleo, Movimiento, Persona, Solicitud, Umf

__all__ = ["Registro"]


@runtime_checkable
class Registro(Protocol):
    """The IMSS registry as the trámites see it; implementations (SQL demo, real back end) swap behind it.

    Lookups return None when nothing matches; writes raise `TramiteError` subclasses with a Spanish `mensaje`.
    CURPs and NSS are expected already normalized (validated with `tramites.identidad`). A write given an
    idempotency `clave` it already saw returns what it wrote the first time (`tramites.idempotencia`).
    """

    # personas
    def persona_por_curp(self, curp: str) -> Persona | None:
        """The person with that CURP, or None."""
        ...

    def persona_por_nss(self, nss: str) -> Persona | None:
        """The person with that NSS, or None."""
        ...

    def listar_personas(self, limit: int | None = None) -> list[Persona]:
        """People in a stable order (registration order); at most `limit`."""
        ...

    def actualizar_contacto(
        self, curp: str, email: str | None = None, telefono: str | None = None
    ) -> Persona:
        """Replace the email and/or phone (None keeps the current value); raises `PersonaNoEncontrada`."""
        ...

    # historial laboral
    def historial_laboral(self, nss: str) -> list[Empleo]:
        """Employments reported for that NSS, oldest alta first."""
        ...

    def movimientos_semanas(self, nss: str) -> list[Movimiento]:
        """Semanas descontadas / reintegradas movements, oldest first."""
        ...

    # beneficiarios
    def beneficiarios(self, nss: str) -> list[Beneficiario]:
        """Family members registered under that titular NSS, in registration order."""
        ...

    def agregar_beneficiario(
        self, nss: str, beneficiario: Beneficiario, *, clave: str | None = None
    ) -> Beneficiario:
        """Store a beneficiary under the titular NSS (eligibility is the trámite's job)."""
        ...

    # UMF
    def umf(self, numero: int) -> Umf | None:
        """The clinic with that number, or None."""
        ...

    def listar_umfs(self) -> list[Umf]:
        """The whole clinic catalogue, by number."""
        ...

    def umfs_por_cp(self, cp: str) -> list[Umf]:
        """Clinics that serve exactly that código postal."""
        ...

    def umfs_cercanas(self, cp: str, limite: int = 3) -> list[Umf]:
        """Nearest clinics in the CP's state by numeric CP distance (empty when the state has none)."""
        ...

    def cambiar_umf(self, nss: str, umf: int, turno: str) -> Persona:
        """Assign clinic and turno to the person; raises `PersonaNoEncontrada` / `UmfNoEncontrada`."""
        ...

    # solicitudes
    def crear_solicitud(
        self, tramite: str, curp: str, datos: Mapping[str, Any], estado: str = "recibida", *,
        clave: str | None = None,
    ) -> Solicitud:
        """Record a trámite request and give it a unique folio."""
        ...

    def solicitud_por_clave(self, tramite: str, clave: str) -> Solicitud | None:
        """The solicitud of that trámite recorded with that idempotency key, or None."""
        ...

    def solicitud(self, folio: str) -> Solicitud | None:
        """The solicitud with that folio, or None."""
        ...

    def actualizar_estado(self, folio: str, estado: str) -> Solicitud:
        """Change a solicitud's status; raises `SolicitudNoEncontrada`."""
        ...

    # cuentas (Escritorio Virtual)
    def registrar_cuenta(
        self, curp: str, rfc: str, email: str, numero_certificado: str, valido_hasta: datetime,
        acuse_folio: str, *, clave: str | None = None,
    ) -> Cuenta:
        """Open an Escritorio Virtual account; raises `CuentaYaRegistrada` if the CURP has one."""
        ...

    def cuenta(self, curp: str) -> Cuenta | None:
        """The account for that CURP, or None."""
        ...

    # derechos ARCO (cancelación)
    def olvidar_persona(self, curp: str) -> dict[str, int]:
        """Erase what this registry holds about the person, except records the law keeps; counts by kind.

        The embedded registry stands in for IMSS's: there it erases. A connector to the real IMSS back end
        erases nothing (IMSS is the data controller of its records) and says so with zero counts.
        """
        ...
