"""The same idempotency key never writes twice: a repeated call returns the first result (DB-backed)."""

from __future__ import annotations

import importlib.util
import io
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from tests.conftest import REPO_ROOT
from tests.tramites.registro.apoyo_registro import copia_demo, puertos_de
from tramites.beneficiarios import registrar_beneficiario
from tramites.documentos import Documento
from tramites.documentos.folios import DocumentoEmitidoRow
from tramites.idempotencia import huella_clave
from tramites.nss import consultar_nss
from tramites.puertos import Puertos
from tramites.registro import PREDECIBLES, SqlRegistro, construir_curp
from tramites.registro.sql import BeneficiarioRow, SolicitudRow
from tramites.semanas import emitir_reporte_semanas
from tramites.umf import solicitar_cambio_umf
from tramites.vigencia import emitir_constancia_vigencia

MARIA, ANA = PREDECIBLES[0], PREDECIBLES[2]
CLAVE = "telegram-5551234/mensaje-77"
TABLAS_CON_CLAVE = (
    "registro_solicitudes", "registro_beneficiarios", "registro_cuentas", "documentos_emitidos"
)


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> SqlRegistro:
    return copia_demo(tmp_path_factory, tmp_path)


@pytest.fixture
def puertos(demo: SqlRegistro, tmp_path: Path) -> Puertos:
    return puertos_de(demo, tmp_path)


def _filas(demo: SqlRegistro) -> tuple[int, int, int]:
    """How many solicitudes, issued documents and beneficiaries the database holds."""
    with demo.session_factory() as s:
        return (
            int(s.scalar(select(func.count()).select_from(SolicitudRow)) or 0),
            int(s.scalar(select(func.count()).select_from(DocumentoEmitidoRow)) or 0),
            int(s.scalar(select(func.count()).select_from(BeneficiarioRow)) or 0),
        )


def test_nss_twice_with_one_key_is_one_solicitud_and_one_document(
    demo: SqlRegistro, puertos: Puertos
) -> None:
    antes = _filas(demo)
    primero = consultar_nss(puertos, MARIA.curp, "lupita@example.com", clave=CLAVE)
    segundo = consultar_nss(puertos, MARIA.curp, "lupita@example.com", clave=CLAVE)
    assert segundo == primero
    assert _filas(demo) == (antes[0] + 1, antes[1] + 1, antes[2])
    otro = consultar_nss(puertos, MARIA.curp, "lupita@example.com", clave="otro-mensaje")
    assert otro.solicitud.folio != primero.solicitud.folio and otro.documento.folio != primero.documento.folio


def test_without_a_key_every_call_writes(demo: SqlRegistro, puertos: Puertos) -> None:
    antes = _filas(demo)
    consultar_nss(puertos, MARIA.curp, "lupita@example.com")
    consultar_nss(puertos, MARIA.curp, "lupita@example.com")
    assert _filas(demo)[:2] == (antes[0] + 2, antes[1] + 2)


def test_constancia_and_reporte_are_issued_once_per_key(demo: SqlRegistro, puertos: Puertos) -> None:
    antes = _filas(demo)
    constancia = emitir_constancia_vigencia(puertos, ANA.curp, ANA.nss, clave=CLAVE)
    otra = emitir_constancia_vigencia(puertos, ANA.curp, ANA.nss, clave=CLAVE)
    assert otra.documento == constancia.documento
    reporte = emitir_reporte_semanas(puertos, ANA.curp, ANA.nss, clave=CLAVE)
    assert emitir_reporte_semanas(puertos, ANA.curp, ANA.nss, clave=CLAVE).documento == reporte.documento
    # One key, two document types: each is issued once.
    assert reporte.documento.folio != constancia.documento.folio
    assert _filas(demo)[1] == antes[1] + 2


def test_a_repeated_change_of_clinic_returns_the_first_instead_of_same_clinic(
    demo: SqlRegistro, puertos: Puertos
) -> None:
    antes = _filas(demo)
    primero = solicitar_cambio_umf(puertos, MARIA.curp, 28, "vespertino", cp="03100", clave=CLAVE)
    # Without the key this would be "Ya estás en la UMF 28": the person is already there.
    segundo = solicitar_cambio_umf(puertos, MARIA.curp, 28, "vespertino", cp="03100", clave=CLAVE)
    assert segundo.solicitud == primero.solicitud and segundo.documento == primero.documento
    assert _filas(demo)[:2] == (antes[0] + 1, antes[1] + 1)


def test_a_repeated_beneficiary_is_registered_once(demo: SqlRegistro, puertos: Puertos) -> None:
    curp = construir_curp("Ana", "Castillo", "Hernández", date(2015, 1, 1), "M", "DF")
    antes = _filas(demo)
    primero, segundo = (
        registrar_beneficiario(puertos, MARIA.curp, MARIA.nss, "hija", curp, "Ana Castillo", clave=CLAVE)
        for _ in range(2)
    )
    assert segundo.beneficiario == primero.beneficiario and segundo.solicitud == primero.solicitud
    assert segundo.documento == primero.documento
    assert _filas(demo) == (antes[0] + 1, antes[1] + 1, antes[2] + 1)


def test_the_registry_returns_the_row_of_a_known_key(demo: SqlRegistro) -> None:
    primera = demo.crear_solicitud("nss", MARIA.curp, {"email": "a@example.com"}, clave=CLAVE)
    assert demo.crear_solicitud("nss", MARIA.curp, {"email": "b@example.com"}, clave=CLAVE) == primera
    assert demo.solicitud_por_clave("nss", CLAVE) == primera
    # The key is scoped by trámite, and only its hash is stored.
    assert demo.solicitud_por_clave("vigencia", CLAVE) is None
    with demo.session_factory() as s:
        fila = s.scalars(select(SolicitudRow).where(SolicitudRow.folio == primera.folio)).one()
    assert fila.clave == huella_clave(CLAVE, "nss") and CLAVE not in str(fila.clave)


def test_the_database_refuses_a_second_row_with_one_key(demo: SqlRegistro) -> None:
    demo.crear_solicitud("nss", MARIA.curp, {}, clave=CLAVE)
    fila = demo.solicitud_por_clave("nss", CLAVE)
    assert fila is not None
    with demo.session_factory() as s, pytest.raises(IntegrityError):
        s.add(SolicitudRow(folio="OTRO-1", tramite="nss", curp=MARIA.curp, estado="recibida",
                           creada=fila.creada, actualizada=fila.creada, datos={},
                           clave=huella_clave(CLAVE, "nss")))
        s.flush()


def test_the_issuer_returns_the_document_of_a_known_key(puertos: Puertos) -> None:
    documento = Documento(tipo="prueba", titulo="Prueba", campos=[("Nombre", "Ana")])
    primero = puertos.emisor.emitir(documento, clave=CLAVE)
    assert puertos.emisor.emitir(documento, clave=CLAVE) == primero
    assert primero.path.name == f"prueba-{primero.folio}.pdf" == primero.filename


def _migracion_0003() -> ModuleType:
    ruta = REPO_ROOT / "migrations" / "versions" / "0003_idempotency_keys.py"
    spec = importlib.util.spec_from_file_location("migracion_0003", ruta)
    assert spec is not None and spec.loader is not None
    modulo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modulo)
    return modulo


def test_migration_adds_unique_keys_on_sqlite(tmp_path: Path) -> None:
    from bot.store import create_db_engine, migrate

    engine = create_db_engine(f"sqlite:///{tmp_path / 'migrada.db'}")
    migrate(engine)
    inspector = inspect(engine)
    for tabla in TABLAS_CON_CLAVE:
        unicas = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(tabla)}
        assert ("clave",) in unicas, tabla
    engine.dispose()


def test_migration_renders_for_postgresql() -> None:
    salida = io.StringIO()
    contexto = MigrationContext.configure(
        dialect_name="postgresql", opts={"as_sql": True, "output_buffer": salida}
    )
    with Operations.context(contexto):
        _migracion_0003().upgrade()
    sql = salida.getvalue()
    for tabla in TABLAS_CON_CLAVE:
        assert f"ALTER TABLE {tabla} ADD COLUMN clave VARCHAR(64)" in sql
        assert f"ALTER TABLE {tabla} ADD CONSTRAINT uq_{tabla}_clave UNIQUE (clave)" in sql
