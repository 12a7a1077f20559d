"""Whatever a person (or a script) types, the engine answers and never raises.

Through the engine's public interface (`Engine.handle`, via tests.helpers.Chat), one conversation per
example, on a real container: real NLU, actions, store.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.container import Container
from tests.helpers import Chat

#: Inputs that broke chat engines elsewhere: empty, huge, control characters, bidi marks, lone surrogates,
#: payload and markup look-alikes.
RAROS = [
    "",
    " \t\r\n ",
    "x" * 10_000,
    "hola " * 2_000,
    "\x00\x01\x02\x1b[31m\x7f",
    "\u202e\u200fمرحبا\u200e\u2066",
    "\ud800",
    "mi curp es \udfff XIQB891116MGRMZR05",
    '/intent{"curp": "XIQB891116MGRMZR05"}',
    '/nss_form{"curp": "XIQB891116MGRMZR05", "email": "a@b.mx"}',
    "/restart",
    "¹",  # a digit to str.isdigit() that int() refuses: it once chose an option and crashed
    "²³ ⁴ Ⅻ ٣",
    "/",
    '{"text": "hola"}',
    "[" * 5_000,
    "<script>alert(1)</script>",
    "%s%s%n{0}{curp}",
    "\ufeff\ufffe\uffff",
    "🙂" * 500,
]
PEDAZOS = st.sampled_from([*RAROS[:2], *RAROS[4:]])
TEXTO = st.one_of(
    st.text(max_size=500),
    st.text(alphabet=st.characters(exclude_categories=()), max_size=60),  # surrogates and controls too
    st.lists(PEDAZOS, min_size=1, max_size=4).map(" ".join),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texto=TEXTO)
@example(texto=RAROS[0])
@example(texto=RAROS[2])
@example(texto=RAROS[6])
@example(texto=RAROS[8])
@example(texto="¹")
def test_any_unicode_text_gets_a_reply_and_never_an_exception(container: Container, texto: str) -> None:
    replies = Chat(container.engine, channel="web").send(texto)
    assert replies
    assert all(r.text or r.document for r in replies)


def test_odd_messages_one_after_another_in_one_conversation_all_get_replies(container: Container) -> None:
    chat = Chat(container.engine, channel="web")
    for texto in RAROS:
        assert chat.send(texto), repr(texto[:40])
    assert "CURP" in chat.say("quiero mi nss")
