"""The IMSS registry port (`Registro`), its records, its SQL implementation and the demo data."""

from tramites.registro.catalogo import (
    CATALOGO_UMF,
    CP_SIN_CLINICA,
    CP_SIN_CLINICA_EN_ESTADO,
    estado_de_cp,
)
from tramites.registro.demo import (
    CURP_NO_REGISTRADA,
    PREDECIBLES,
    PersonaPredecible,
    construir_curp,
    construir_nss,
    demo_personas,
    fecha_referencia,
    sembrar_demo,
)
from tramites.registro.errores import (
    BeneficiarioDuplicado,
    CuentaYaRegistrada,
    CurpNoRegistrada,
    NssNoCoincide,
    NssNoRegistrado,
    PersonaNoEncontrada,
    SolicitudNoEncontrada,
    UmfNoEncontrada,
)
from tramites.registro.identificar import identificar_persona
from tramites.registro.modelos import (
    PARENTESCOS,
    TIPOS_PERSONA,
    Beneficiario,
    Cuenta,
    Empleo,
    Movimiento,
    Persona,
    Solicitud,
    Umf,
)
from tramites.registro.puerto import Registro
from tramites.registro.sql import TABLAS_REGISTRO, SqlRegistro

__all__ = [
    "CATALOGO_UMF",
    "CP_SIN_CLINICA",
    "CP_SIN_CLINICA_EN_ESTADO",
    "CURP_NO_REGISTRADA",
    "PARENTESCOS",
    "PREDECIBLES",
    "TABLAS_REGISTRO",
    "TIPOS_PERSONA",
    "Beneficiario",
    "BeneficiarioDuplicado",
    "Cuenta",
    "CuentaYaRegistrada",
    "CurpNoRegistrada",
    "Empleo",
    "Movimiento",
    "NssNoCoincide",
    "NssNoRegistrado",
    "Persona",
    "PersonaNoEncontrada",
    "PersonaPredecible",
    "Registro",
    "Solicitud",
    "SolicitudNoEncontrada",
    "SqlRegistro",
    "Umf",
    "UmfNoEncontrada",
    "construir_curp",
    "construir_nss",
    "demo_personas",
    "estado_de_cp",
    "fecha_referencia",
    "identificar_persona",
    "sembrar_demo",
]
