"""Sending an issued document through the dispatcher."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from tramites.documentos import DocumentoEmitido

__all__ = ["enviar_documento"]


def enviar_documento(dispatcher: CollectingDispatcher, emitido: DocumentoEmitido, texto: str) -> None:
    """One message with the text and the PDF attached (the channel uploads the file)."""
    dispatcher.utter_message(
        text=f"{texto}\nFolio: {emitido.folio}",
        json_message={
            "document": {"path": str(emitido.path), "filename": emitido.filename, "mime": emitido.mime}
        },
    )
