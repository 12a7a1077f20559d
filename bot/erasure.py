"""`conversaciones borrar --curp`: forget a person everywhere we keep their data, except what law keeps."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from bot.container import Container
from bot.store.database import checkpoint
from bot.store.erasure import (
    ErasureReport,
    conversations_mentioning,
    documents_of,
    erase_conversations,
    record_erasure,
    subject_hash,
)

__all__ = ["KEPT_DOCUMENT_PREFIXES", "erase_person"]

logger = logging.getLogger(__name__)

#: Issued files the law requires us to keep: acuses signed with the person's e.firma (docs/privacidad.md).
KEPT_DOCUMENT_PREFIXES = ("acuse-",)
#: The folio inside an issued file's name (`<tipo>-<folio>.pdf`); outbox attachments are `<folio>.pdf`.
_FOLIO = re.compile(r"IMSS-\d{8}-[A-Z2-7]{8}")


def _forget_outbox(container: Container, identifiers: set[str], documents: list[str]) -> int:
    """Outbox messages to the person's email or carrying a document of the erased conversations."""
    from bot.correo.buzon import Buzon

    outbox = container.services.correo
    if not isinstance(outbox, Buzon):
        return 0  # sent through SMTP: nothing of it stays here
    folios = {f"{match.group(0)}.pdf" for path in documents if (match := _FOLIO.search(Path(path).name))}
    return outbox.olvidar({i for i in identifiers if "@" in i}, folios)


def erase_person(container: Container, curp: str, actor: str) -> ErasureReport:
    """Erase every conversation, held file and issued copy about the person with this CURP."""
    curp = curp.strip().upper()
    identifiers = {curp}
    persona = container.services.registro.persona_por_curp(curp)
    if persona is not None:
        identifiers |= {v for v in (persona.nss, persona.email, persona.telefono) if v}
    sessions = container.sessions
    conversations = conversations_mentioning(sessions, identifiers)
    deleted_files = 0
    kept_files = 0
    documents = documents_of(sessions, conversations)
    for path in documents:
        if Path(path).name.startswith(KEPT_DOCUMENT_PREFIXES):
            kept_files += 1
            continue
        try:
            Path(path).unlink()
            deleted_files += 1
        except FileNotFoundError:
            pass
    vault = container.services.vault
    for cid in conversations:
        if vault is not None:
            vault.release_conversation(cid)
    counts = erase_conversations(sessions, conversations)
    # --- agentes: out of the agents' queue too; the audit keeps its rows without the conversation ---
    counts.update(container.mesa.olvidar(conversations))
    counts.update({"documentos_borrados": deleted_files, "acuses_conservados": kept_files})
    counts["correos_borrados"] = _forget_outbox(container, identifiers, documents)
    counts.update({f"registro_{k}": v for k, v in container.services.registro.olvidar_persona(curp).items()})
    record_erasure(sessions, actor, subject_hash(curp, container.secret_key), counts)
    # Deleted pages are zeroed (secure_delete); the log that still holds them is emptied too.
    checkpoint(container.db)
    logger.info("Erasure done: %s", counts)
    return counts
