"""A tiny, strict DER reader: enough to recognise certificates and encrypted keys without parsing them."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["DerError", "Tlv", "entero", "hijos", "leer_tlv", "leer_unico"]

SEQUENCE = 0x30
INTEGER = 0x02
BIT_STRING = 0x03
OCTET_STRING = 0x04
NULL = 0x05
OID = 0x06
CONTEXTO_0 = 0xA0


class DerError(ValueError):
    """The bytes are not well-formed DER (internal; callers turn it into a typed e.firma error)."""


class Tlv(NamedTuple):
    """One DER element: tag byte and the [inicio, fin) range of its contents inside the buffer."""

    tag: int
    inicio: int
    fin: int


def leer_tlv(data: bytes, pos: int, limite: int) -> Tlv:
    """Read the element that starts at `pos`; its contents must end at or before `limite`."""
    if pos + 2 > limite:
        raise DerError("truncated header")
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        # High-tag-number form never appears in certificates or PKCS#8 envelopes.
        raise DerError("high tag number")
    largo = data[pos + 1]
    pos += 2
    if largo & 0x80:
        n = largo & 0x7F
        if n == 0 or n > 4:
            # 0 is the indefinite form (BER, not DER); more than 4 bytes would be gigabytes.
            raise DerError("unsupported length form")
        if pos + n > limite:
            raise DerError("truncated length")
        largo = int.from_bytes(data[pos : pos + n], "big")
        pos += n
    if pos + largo > limite:
        raise DerError("truncated contents")
    return Tlv(tag, pos, pos + largo)


def leer_unico(data: bytes) -> Tlv:
    """Read the single element that must span the whole buffer."""
    tlv = leer_tlv(data, 0, len(data))
    if tlv.fin != len(data):
        raise DerError("trailing data")
    return tlv


def hijos(data: bytes, padre: Tlv, maximo: int = 64) -> list[Tlv]:
    """The elements inside a constructed element (at most `maximo`, to bound work on hostile input)."""
    if not padre.tag & 0x20:
        raise DerError("not constructed")
    resultado: list[Tlv] = []
    pos = padre.inicio
    while pos < padre.fin:
        if len(resultado) >= maximo:
            raise DerError("too many elements")
        tlv = leer_tlv(data, pos, padre.fin)
        resultado.append(tlv)
        pos = tlv.fin
    return resultado


def entero(data: bytes, tlv: Tlv, max_bytes: int = 8) -> int:
    """Decode a (small) INTEGER element."""
    if tlv.tag != INTEGER or tlv.fin == tlv.inicio or tlv.fin - tlv.inicio > max_bytes:
        raise DerError("not a small integer")
    return int.from_bytes(data[tlv.inicio : tlv.fin], "big", signed=True)
