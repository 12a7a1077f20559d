"""The rule loader follows Rasa's rule shapes it supports and refuses, by name, anything else."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import RuleError
from bot.engine.rules import load_rules
from tests.bot.engine.fakes import DOMAIN, small_domain


def _rules(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "reglas.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_intent_and_form_submit_rules_are_read(tmp_path: Path) -> None:
    domain = small_domain(tmp_path)
    assert domain.rule_for_intent("saludo") is not None
    assert domain.submit_actions("cita_form") == ("action_agendar",)
    assert domain.starts_form("pedir_cita") == "cita_form"


def test_slot_was_set_conditions_choose_the_rule(tmp_path: Path) -> None:
    rules = load_rules(
        _rules(
            tmp_path,
            """
rules:
  - rule: con CURP
    condition: [{slot_was_set: [{curp: null}]}]
    steps: [{intent: saludo}, {action: utter_ask_curp}]
  - rule: sin condición
    steps: [{intent: saludo}, {action: utter_saludo}]
""",
        )
    )
    assert rules[0].applies_to({"curp": None}) and not rules[0].applies_to({"curp": "X"})
    assert rules[1].applies_to({"curp": "X"})


@pytest.mark.parametrize(
    ("rule", "what"),
    [
        ("{rule: Uno, steps: [{intent: saludo}, {checkpoint: c1}]}", "checkpoint"),
        (
            "{rule: Dos, steps: [{intent: saludo}, {action: utter_saludo}], wait_for_user_input: false}",
            "wait",
        ),
        (
            "{rule: Tres, steps: [{intent: saludo}, {slot_was_set: [curp]}, {action: utter_saludo}]}",
            "slot_was_set",
        ),
        ("{rule: Cuatro, condition: [{user: hola}], steps: [{intent: saludo}]}", "condición"),
        ("{rule: Cinco, steps: [{action: utter_saludo}]}", "intención"),
        ("{rule: Seis, conversation_start: true, steps: [{intent: saludo}]}", "conversation_start"),
        ("{rule: Siete, steps: [{or: [{intent: saludo}, {intent: ayuda}]}]}", "or"),
    ],
)
def test_an_unsupported_step_is_refused_naming_file_and_rule(tmp_path: Path, rule: str, what: str) -> None:
    path = _rules(tmp_path, f"rules:\n  - {rule}\n")
    with pytest.raises(RuleError) as error:
        load_rules(path)
    name = rule.split("rule: ", 1)[1].split(",", 1)[0]
    assert str(path) in str(error.value) and f"«{name}»" in str(error.value)
    assert what in str(error.value)


def test_a_domain_without_policy_data_is_refused(tmp_path: Path) -> None:
    from bot.engine import DomainError

    without = DOMAIN.split("conversation_policy:", 1)[0]
    with pytest.raises(DomainError, match="conversation_policy"):
        small_domain(tmp_path, domain=without)
