"""SQLAlchemy implementation of the registry port (tables `registro_*`, SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    delete,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from tramites.db import TramitesBase
from tramites.idempotencia import huella_clave
from tramites.registro.catalogo import estado_de_cp, ordenar_por_cercania
from tramites.registro.errores import (
    BeneficiarioDuplicado,
    CuentaYaRegistrada,
    PersonaNoEncontrada,
    SolicitudNoEncontrada,
    UmfNoEncontrada,
)
from tramites.registro.modelos import Beneficiario, Cuenta, Empleo, Movimiento, Persona, Solicitud, Umf

__all__ = [
    "TABLAS_REGISTRO",
    "BeneficiarioRow",
    "CuentaRow",
    "EmpleoRow",
    "MetaRow",
    "MovimientoRow",
    "PersonaRow",
    "SolicitudRow",
    "SqlRegistro",
    "UmfCpRow",
    "UmfRow",
    "centavos",
]

_PREFIJOS_FOLIO: dict[str, str] = {
    "nss": "NSS",
    "vigencia": "VIG",
    "alta_umf": "UMF",
    "cambio_umf": "UMF",
    "beneficiario": "BEN",
    "semanas": "SEM",
    "cuenta": "CTA",
    "actualizar_datos": "DAT",
}


class PersonaRow(TramitesBase):
    """A person in the registry."""

    __tablename__ = "registro_personas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    curp: Mapped[str] = mapped_column(String(18), unique=True)
    nss: Mapped[str | None] = mapped_column(String(11), unique=True, nullable=True)
    nombre: Mapped[str] = mapped_column(String(120))
    apellido_paterno: Mapped[str] = mapped_column(String(80))
    apellido_materno: Mapped[str] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    telefono: Mapped[str | None] = mapped_column(String(20), nullable=True)
    cp: Mapped[str | None] = mapped_column(String(5), nullable=True, index=True)
    fecha_nacimiento: Mapped[date] = mapped_column(Date)
    sexo: Mapped[str] = mapped_column(String(1))
    umf: Mapped[int | None] = mapped_column(Integer, nullable=True)
    turno: Mapped[str | None] = mapped_column(String(12), nullable=True)
    tipo: Mapped[str] = mapped_column(String(20))
    titular_curp: Mapped[str | None] = mapped_column(String(18), nullable=True, index=True)


class EmpleoRow(TramitesBase):
    """One labor relationship (alta/baja) reported by a patrón."""

    __tablename__ = "registro_empleos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nss: Mapped[str] = mapped_column(String(11), index=True)
    registro_patronal: Mapped[str] = mapped_column(String(11))
    patron: Mapped[str] = mapped_column(String(160))
    fecha_alta: Mapped[date] = mapped_column(Date)
    fecha_baja: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Integer centavos: exact on every backend (SQLite has no native DECIMAL).
    salario_centavos: Mapped[int] = mapped_column(Integer)


class MovimientoRow(TramitesBase):
    """Semanas descontadas or reintegradas."""

    __tablename__ = "registro_movimientos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nss: Mapped[str] = mapped_column(String(11), index=True)
    tipo: Mapped[str] = mapped_column(String(20))
    semanas: Mapped[int] = mapped_column(Integer)
    fecha: Mapped[date] = mapped_column(Date)
    motivo: Mapped[str] = mapped_column(String(200))


class BeneficiarioRow(TramitesBase):
    """A family member registered under a titular NSS."""

    __tablename__ = "registro_beneficiarios"
    __table_args__ = (
        UniqueConstraint("titular_nss", "curp", name="uq_registro_beneficiarios_titular_curp"),
        UniqueConstraint("clave", name="uq_registro_beneficiarios_clave"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    titular_nss: Mapped[str] = mapped_column(String(11), index=True)
    curp: Mapped[str] = mapped_column(String(18))
    nombre: Mapped[str] = mapped_column(String(200))
    parentesco: Mapped[str] = mapped_column(String(20))
    fecha_nacimiento: Mapped[date] = mapped_column(Date)
    estudiante: Mapped[bool] = mapped_column(Boolean, default=False)
    dependiente_economico: Mapped[bool] = mapped_column(Boolean, default=True)
    discapacidad: Mapped[bool] = mapped_column(Boolean, default=False)
    clave: Mapped[str | None] = mapped_column(String(64), nullable=True)


class UmfRow(TramitesBase):
    """A clinic of the catalogue."""

    __tablename__ = "registro_umfs"

    numero: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    nombre: Mapped[str] = mapped_column(String(120))
    domicilio: Mapped[str] = mapped_column(String(200))
    municipio: Mapped[str] = mapped_column(String(120))
    estado: Mapped[str] = mapped_column(String(60), index=True)
    turnos: Mapped[list[str]] = mapped_column(JSON)
    telefono: Mapped[str] = mapped_column(String(20))


class UmfCpRow(TramitesBase):
    """A código postal served by a clinic."""

    __tablename__ = "registro_umf_cps"
    __table_args__ = (UniqueConstraint("umf", "cp", name="uq_registro_umf_cps_umf_cp"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    umf: Mapped[int] = mapped_column(ForeignKey("registro_umfs.numero"), index=True)
    cp: Mapped[str] = mapped_column(String(5), index=True)


class SolicitudRow(TramitesBase):
    """A trámite request and its status."""

    __tablename__ = "registro_solicitudes"
    __table_args__ = (UniqueConstraint("clave", name="uq_registro_solicitudes_clave"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    folio: Mapped[str] = mapped_column(String(40), unique=True)
    tramite: Mapped[str] = mapped_column(String(40))
    curp: Mapped[str] = mapped_column(String(18), index=True)
    estado: Mapped[str] = mapped_column(String(20))
    creada: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actualizada: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    datos: Mapped[dict[str, Any]] = mapped_column(JSON)
    clave: Mapped[str | None] = mapped_column(String(64), nullable=True)


class CuentaRow(TramitesBase):
    """An Escritorio Virtual account."""

    __tablename__ = "registro_cuentas"
    __table_args__ = (UniqueConstraint("clave", name="uq_registro_cuentas_clave"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    curp: Mapped[str] = mapped_column(String(18), unique=True)
    rfc: Mapped[str] = mapped_column(String(13))
    email: Mapped[str] = mapped_column(String(254))
    numero_certificado: Mapped[str] = mapped_column(String(40))
    valido_hasta: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    acuse_folio: Mapped[str] = mapped_column(String(40))
    creada: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    clave: Mapped[str | None] = mapped_column(String(64), nullable=True)


class MetaRow(TramitesBase):
    """Key/value facts about the registry itself (demo seed, reference date)."""

    __tablename__ = "registro_meta"

    clave: Mapped[str] = mapped_column(String(50), primary_key=True)
    valor: Mapped[str] = mapped_column(String(200))


_ConClave = TypeVar("_ConClave", SolicitudRow, CuentaRow, BeneficiarioRow)
T = TypeVar("T")

TABLAS_REGISTRO = [
    m.__table__
    for m in (
        PersonaRow,
        EmpleoRow,
        MovimientoRow,
        BeneficiarioRow,
        UmfRow,
        UmfCpRow,
        SolicitudRow,
        CuentaRow,
        MetaRow,
    )
]


def centavos(monto: Decimal) -> int:
    """Decimal pesos to integer centavos (rounded half up)."""
    return int((monto * 100).quantize(Decimal("1"), rounding="ROUND_HALF_UP"))


def _utc(dt: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC, so re-attach it.
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _persona(row: PersonaRow) -> Persona:
    return Persona(
        curp=row.curp,
        nss=row.nss,
        nombre=row.nombre,
        apellido_paterno=row.apellido_paterno,
        apellido_materno=row.apellido_materno,
        email=row.email,
        telefono=row.telefono,
        cp=row.cp,
        fecha_nacimiento=row.fecha_nacimiento,
        sexo=row.sexo,
        umf=row.umf,
        tipo=row.tipo,
        titular_curp=row.titular_curp,
        turno=row.turno,
    )


def _solicitud(row: SolicitudRow) -> Solicitud:
    return Solicitud(
        folio=row.folio,
        tramite=row.tramite,
        curp=row.curp,
        estado=row.estado,
        creada=_utc(row.creada),
        actualizada=_utc(row.actualizada),
        datos=dict(row.datos),
    )


def _beneficiario(r: BeneficiarioRow) -> Beneficiario:
    return Beneficiario(
        curp=r.curp,
        nombre=r.nombre,
        parentesco=r.parentesco,
        fecha_nacimiento=r.fecha_nacimiento,
        estudiante=r.estudiante,
        dependiente_economico=r.dependiente_economico,
        discapacidad=r.discapacidad,
    )


def _nuevo_beneficiario(
    s: Session, nss: str, beneficiario: Beneficiario, huella: str | None
) -> BeneficiarioRow:
    if s.scalars(select(PersonaRow.id).where(PersonaRow.nss == nss)).first() is None:
        raise PersonaNoEncontrada(clave=f"el NSS {nss}")
    existente = s.scalars(
        select(BeneficiarioRow.id).where(
            BeneficiarioRow.titular_nss == nss, BeneficiarioRow.curp == beneficiario.curp
        )
    ).first()
    if existente is not None:
        raise BeneficiarioDuplicado(curp=beneficiario.curp)
    return BeneficiarioRow(
        titular_nss=nss,
        curp=beneficiario.curp,
        nombre=beneficiario.nombre,
        parentesco=beneficiario.parentesco,
        fecha_nacimiento=beneficiario.fecha_nacimiento,
        estudiante=beneficiario.estudiante,
        dependiente_economico=beneficiario.dependiente_economico,
        discapacidad=beneficiario.discapacidad,
        clave=huella,
    )


def _cuenta(row: CuentaRow) -> Cuenta:
    return Cuenta(
        curp=row.curp,
        rfc=row.rfc,
        email=row.email,
        numero_certificado=row.numero_certificado,
        valido_hasta=_utc(row.valido_hasta),
        acuse_folio=row.acuse_folio,
        creada=_utc(row.creada),
    )


def _ahora() -> datetime:
    return datetime.now(UTC)


class SqlRegistro:
    """The registry port on SQL tables `registro_*`; one short session per call."""

    def __init__(self, session_factory: sessionmaker[Session], now: Callable[[], datetime] = _ahora) -> None:
        self._sessions = session_factory
        self._now = now

    @property
    def session_factory(self) -> sessionmaker[Session]:
        """The session factory this registry writes through (e.g. for `fecha_referencia`)."""
        return self._sessions

    def agregar_persona(self, persona: Persona) -> Persona:
        """Insert a person (not part of the port: the real back end registers people, not the assistant)."""
        with self._sessions.begin() as s:
            s.add(
                PersonaRow(
                    curp=persona.curp,
                    nss=persona.nss,
                    nombre=persona.nombre,
                    apellido_paterno=persona.apellido_paterno,
                    apellido_materno=persona.apellido_materno,
                    email=persona.email,
                    telefono=persona.telefono,
                    cp=persona.cp,
                    fecha_nacimiento=persona.fecha_nacimiento,
                    sexo=persona.sexo,
                    umf=persona.umf,
                    turno=persona.turno,
                    tipo=persona.tipo,
                    titular_curp=persona.titular_curp,
                )
            )
        return persona

    # ------------------------------------------------------------------ personas
    def persona_por_curp(self, curp: str) -> Persona | None:
        """The person with that CURP, or None."""
        with self._sessions() as s:
            row = s.scalars(select(PersonaRow).where(PersonaRow.curp == curp)).first()
            return _persona(row) if row else None

    def persona_por_nss(self, nss: str) -> Persona | None:
        """The person with that NSS, or None."""
        with self._sessions() as s:
            row = s.scalars(select(PersonaRow).where(PersonaRow.nss == nss)).first()
            return _persona(row) if row else None

    def listar_personas(self, limit: int | None = None) -> list[Persona]:
        """People in registration order; at most `limit`."""
        with self._sessions() as s:
            stmt = select(PersonaRow).order_by(PersonaRow.id)
            if limit is not None:
                stmt = stmt.limit(limit)
            return [_persona(r) for r in s.scalars(stmt)]

    def actualizar_contacto(
        self, curp: str, email: str | None = None, telefono: str | None = None
    ) -> Persona:
        """Replace the email and/or phone (None keeps the current value)."""
        with self._sessions.begin() as s:
            row = s.scalars(select(PersonaRow).where(PersonaRow.curp == curp)).first()
            if row is None:
                raise PersonaNoEncontrada(clave=f"la CURP {curp}")
            if email is not None:
                row.email = email
            if telefono is not None:
                row.telefono = telefono
            s.flush()
            return _persona(row)

    # ------------------------------------------------------------------ historial laboral
    def historial_laboral(self, nss: str) -> list[Empleo]:
        """Employments for that NSS, oldest alta first."""
        with self._sessions() as s:
            rows = s.scalars(
                select(EmpleoRow).where(EmpleoRow.nss == nss).order_by(EmpleoRow.fecha_alta, EmpleoRow.id)
            )
            return [
                Empleo(
                    registro_patronal=r.registro_patronal,
                    patron=r.patron,
                    fecha_alta=r.fecha_alta,
                    fecha_baja=r.fecha_baja,
                    salario_base_cotizacion=Decimal(r.salario_centavos) / 100,
                )
                for r in rows
            ]

    def movimientos_semanas(self, nss: str) -> list[Movimiento]:
        """Semanas descontadas/reintegradas, oldest first."""
        with self._sessions() as s:
            rows = s.scalars(
                select(MovimientoRow)
                .where(MovimientoRow.nss == nss)
                .order_by(MovimientoRow.fecha, MovimientoRow.id)
            )
            return [Movimiento(tipo=r.tipo, semanas=r.semanas, fecha=r.fecha, motivo=r.motivo) for r in rows]

    # ------------------------------------------------------------------ beneficiarios
    def beneficiarios(self, nss: str) -> list[Beneficiario]:
        """Beneficiaries registered under that titular NSS, in registration order."""
        with self._sessions() as s:
            rows = s.scalars(
                select(BeneficiarioRow).where(BeneficiarioRow.titular_nss == nss).order_by(BeneficiarioRow.id)
            )
            return [_beneficiario(r) for r in rows]

    def agregar_beneficiario(
        self, nss: str, beneficiario: Beneficiario, *, clave: str | None = None
    ) -> Beneficiario:
        """Store a beneficiary under the titular NSS; raises `BeneficiarioDuplicado` if already there.

        The same `clave` returns the beneficiary stored with it the first time.
        """
        huella = huella_clave(clave, "beneficiario")
        return self._una_vez(
            BeneficiarioRow,
            huella,
            _beneficiario,
            lambda s: _nuevo_beneficiario(s, nss, beneficiario, huella),
        )

    def _una_vez(
        self,
        modelo: type[_ConClave],
        huella: str | None,
        leer: Callable[[Any], T],
        crear: Callable[[Session], _ConClave],
        completar: Callable[[_ConClave], None] = lambda fila: None,
    ) -> T:
        """Insert the row `crear` builds (then `completar` it), unless a row carries `huella`: read that one.

        The unique `clave` column settles a race between two workers: the loser reads the winner's row.
        """
        for _ in range(2):
            with self._sessions() as s:
                if huella is not None:
                    previa = s.scalars(select(modelo).where(modelo.clave == huella)).first()
                    if previa is not None:
                        return leer(previa)
                fila = crear(s)
                s.add(fila)
                try:
                    s.flush()
                except IntegrityError:
                    s.rollback()
                    if huella is None:
                        raise
                    continue
                completar(fila)
                resultado = leer(fila)
                s.commit()
                return resultado
        raise RuntimeError("idempotency key kept colliding")  # pragma: no cover - needs a third writer

    # ------------------------------------------------------------------ UMF
    def _umfs(self, s: Session, filas: Sequence[UmfRow]) -> list[Umf]:
        numeros = [f.numero for f in filas]
        cps: dict[int, list[str]] = {n: [] for n in numeros}
        if numeros:
            for umf, cp in s.execute(
                select(UmfCpRow.umf, UmfCpRow.cp).where(UmfCpRow.umf.in_(numeros)).order_by(UmfCpRow.id)
            ):
                cps[umf].append(cp)
        return [
            Umf(
                numero=f.numero,
                nombre=f.nombre,
                domicilio=f.domicilio,
                municipio=f.municipio,
                estado=f.estado,
                cps=cps[f.numero],
                turnos=list(f.turnos),
                telefono=f.telefono,
            )
            for f in filas
        ]

    def umf(self, numero: int) -> Umf | None:
        """The clinic with that number, or None."""
        with self._sessions() as s:
            fila = s.get(UmfRow, numero)
            return self._umfs(s, [fila])[0] if fila else None

    def listar_umfs(self) -> list[Umf]:
        """The whole catalogue, by number."""
        with self._sessions() as s:
            return self._umfs(s, list(s.scalars(select(UmfRow).order_by(UmfRow.numero))))

    def umfs_por_cp(self, cp: str) -> list[Umf]:
        """Clinics that serve exactly that CP, by number."""
        with self._sessions() as s:
            filas = s.scalars(
                select(UmfRow)
                .join(UmfCpRow, UmfCpRow.umf == UmfRow.numero)
                .where(UmfCpRow.cp == cp)
                .order_by(UmfRow.numero)
            )
            return self._umfs(s, list(filas))

    def umfs_cercanas(self, cp: str, limite: int = 3) -> list[Umf]:
        """Up to `limite` clinics of the CP's state, closest CP first (ties by clinic number)."""
        estado = estado_de_cp(cp)
        if estado is None:
            return []
        with self._sessions() as s:
            umfs = self._umfs(s, list(s.scalars(select(UmfRow).where(UmfRow.estado == estado))))
        return ordenar_por_cercania(cp, umfs)[:limite]

    def cambiar_umf(self, nss: str, umf: int, turno: str) -> Persona:
        """Assign clinic and turno to the person with that NSS."""
        with self._sessions.begin() as s:
            if s.get(UmfRow, umf) is None:
                raise UmfNoEncontrada(numero=umf)
            row = s.scalars(select(PersonaRow).where(PersonaRow.nss == nss)).first()
            if row is None:
                raise PersonaNoEncontrada(clave=f"el NSS {nss}")
            row.umf = umf
            row.turno = turno
            s.flush()
            return _persona(row)

    # ------------------------------------------------------------------ solicitudes
    def crear_solicitud(
        self,
        tramite: str,
        curp: str,
        datos: Mapping[str, Any],
        estado: str = "recibida",
        *,
        clave: str | None = None,
    ) -> Solicitud:
        """Record a request; folio is `PREFIJO-AAAAMMDD-NNNNNN` (prefix by trámite, date, sequence).

        The same `clave` for the same trámite returns the solicitud recorded with it the first time.
        """
        ahora = self._now()
        prefijo = _PREFIJOS_FOLIO.get(tramite) or (
            "".join(c for c in tramite if c.isalnum())[:3].upper() or "SOL"
        )

        def crear(s: Session) -> SolicitudRow:
            return SolicitudRow(
                folio=uuid.uuid4().hex,
                tramite=tramite,
                curp=curp,
                estado=estado,
                creada=ahora,
                actualizada=ahora,
                datos=dict(datos),
                clave=huella_clave(clave, tramite),
            )

        def numerar(row: SolicitudRow) -> None:
            row.folio = f"{prefijo}-{ahora:%Y%m%d}-{row.id:06d}"

        return self._una_vez(SolicitudRow, huella_clave(clave, tramite), _solicitud, crear, numerar)

    def solicitud_por_clave(self, tramite: str, clave: str) -> Solicitud | None:
        """The solicitud of that trámite recorded with that idempotency key, or None."""
        huella = huella_clave(clave, tramite)
        with self._sessions() as s:
            row = s.scalars(select(SolicitudRow).where(SolicitudRow.clave == huella)).first()
            return _solicitud(row) if row else None

    def solicitud(self, folio: str) -> Solicitud | None:
        """The solicitud with that folio, or None."""
        with self._sessions() as s:
            row = s.scalars(select(SolicitudRow).where(SolicitudRow.folio == folio)).first()
            return _solicitud(row) if row else None

    def actualizar_estado(self, folio: str, estado: str) -> Solicitud:
        """Change a solicitud's status and its `actualizada` time."""
        with self._sessions.begin() as s:
            row = s.scalars(select(SolicitudRow).where(SolicitudRow.folio == folio)).first()
            if row is None:
                raise SolicitudNoEncontrada(folio=folio)
            row.estado = estado
            row.actualizada = self._now()
            s.flush()
            return _solicitud(row)

    # ------------------------------------------------------------------ cuentas
    def registrar_cuenta(
        self,
        curp: str,
        rfc: str,
        email: str,
        numero_certificado: str,
        valido_hasta: datetime,
        acuse_folio: str,
        *,
        clave: str | None = None,
    ) -> Cuenta:
        """Open an Escritorio Virtual account; raises `CuentaYaRegistrada` if the CURP already has one.

        The same `clave` returns the account opened with it the first time.
        """
        ahora = self._now()
        huella = huella_clave(clave, "cuenta")

        def crear(s: Session) -> CuentaRow:
            existente = s.scalars(select(CuentaRow.numero_certificado).where(CuentaRow.curp == curp)).first()
            if existente is not None:
                raise CuentaYaRegistrada(curp=curp, numero=existente)
            return CuentaRow(
                curp=curp,
                rfc=rfc,
                email=email,
                numero_certificado=numero_certificado,
                valido_hasta=_utc(valido_hasta),
                acuse_folio=acuse_folio,
                creada=_utc(ahora),
                clave=huella,
            )

        return self._una_vez(CuentaRow, huella, _cuenta, crear)

    def cuenta(self, curp: str) -> Cuenta | None:
        """The account for that CURP, or None."""
        with self._sessions() as s:
            row = s.scalars(select(CuentaRow).where(CuentaRow.curp == curp)).first()
            return _cuenta(row) if row else None

    def olvidar_persona(self, curp: str) -> dict[str, int]:
        """Erase the person, their work history, their family registrations and their solicitudes.

        Kept, because the law asks for them (docs/privacidad.md): the Escritorio Virtual account and the
        solicitudes signed with the person's e.firma (their acuses carry the signature).
        """
        firmadas = ("crear_cuenta", "actualizar_datos")
        with self._sessions.begin() as s:
            persona = s.scalars(select(PersonaRow).where(PersonaRow.curp == curp)).first()
            nss = (persona.nss if persona is not None else None) or ""
            borrar: dict[str, Any] = {
                "solicitudes": delete(SolicitudRow).where(
                    SolicitudRow.curp == curp, SolicitudRow.tramite.not_in(firmadas)
                ),
                "beneficiarios": delete(BeneficiarioRow).where(
                    (BeneficiarioRow.curp == curp) | (BeneficiarioRow.titular_nss == nss)
                ),
                "empleos": delete(EmpleoRow).where(EmpleoRow.nss == nss),
                "movimientos": delete(MovimientoRow).where(MovimientoRow.nss == nss),
                "personas": delete(PersonaRow).where(PersonaRow.curp == curp),
                # Relatives stay in the registry, no longer pointing at the erased titular.
                "referencias": update(PersonaRow)
                .where(PersonaRow.titular_curp == curp)
                .values(titular_curp=None),
            }
            return {
                nombre: int(getattr(s.execute(orden), "rowcount", 0) or 0) for nombre, orden in borrar.items()
            }
