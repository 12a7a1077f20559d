"""The Rasa-format domain and rules are complete and consistent."""

from __future__ import annotations

from bot.container import load_project_domain
from bot.engine import Domain
from bot.settings import Settings

FIXED_INTENTS = {
    "obtener_nss",
    "vigencia_derechos",
    "cambio_clinica",
    "semanas_cotizadas",
    "registrar_beneficiarios",
    "incapacidades",
    "cita_medica",
    "crear_cuenta",
    "actualizar_datos",
    "patron_tramites",
    "hablar_con_agente",
    "fuera_de_alcance",
    "saludo",
    "despedida",
    "agradecer",
    "afirmar",
    "negar",
    "ayuda",
}


def _domain() -> Domain:
    return load_project_domain(Settings(_env_file=None))  # type: ignore[call-arg]


def test_every_fixed_intent_is_declared_labelled_and_has_a_rule() -> None:
    domain = _domain()
    assert set(domain.intents) == FIXED_INTENTS == set(domain.policy.intent_titles)
    for intent in FIXED_INTENTS:
        assert domain.rule_for_intent(intent) is not None, intent


def test_every_rule_step_exists() -> None:
    domain = _domain()
    for rule in domain.rules:
        for action in rule.actions:
            assert action in domain.responses or action in domain.forms or action in domain.actions, action


def test_every_form_slot_can_be_asked_and_filled() -> None:
    domain = _domain()
    for form, slots in domain.forms.items():
        assert domain.submit_actions(form), form
        for slot in slots:
            asks = {f"utter_ask_{slot}", f"utter_ask_{form}_{slot}"} & set(domain.responses)
            assert asks or f"action_ask_{slot}" in domain.actions, (form, slot)
            assert slot in domain.slots and domain.mappings[slot], (form, slot)


def test_every_response_is_used() -> None:
    from tests.conftest import REPO_ROOT

    domain = _domain()
    rules = (REPO_ROOT / "data" / "rules.yml").read_text(encoding="utf-8")
    code = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in ("actions", "bot")
        for path in (REPO_ROOT / folder).rglob("*.py")
    )
    policy = set(domain.policy.media_hints.values())
    for name in domain.responses:
        # Named by convention: asking a slot, its help, the short question after it, a resumed form.
        conventional = ("utter_ask_", "utter_reask_", "utter_ayuda_paso", "utter_sigue_", "utter_retomar")
        asked = name.startswith(conventional)
        assert asked or name in rules or name in policy or f'"{name}"' in code, f"{name} is never used"
