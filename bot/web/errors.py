"""Error responses that never echo what was sent: validation errors and undecodable text.

FastAPI's default 422 repeats the offending input, which may be a CURP or a whole message; here the
answer names only where the problem is and what kind it is.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.responses import JSONResponse

from bot.web.headers import security_headers
from bot.web.json_text import MENSAJE_400

__all__ = ["MENSAJE_422", "MENSAJE_500", "install_error_handlers"]

MENSAJE_422 = "Revisa los datos que enviaste: falta alguno o no tiene el formato esperado."
MENSAJE_500 = "Algo falló de nuestro lado. Inténtalo de nuevo en un momento."


async def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    """422 with each problem's location and kind, never its input."""
    assert isinstance(error, RequestValidationError)
    problemas = [
        {"ubicacion": [str(parte) for parte in e.get("loc", ())], "tipo": str(e.get("type", ""))}
        for e in error.errors()
    ]
    return JSONResponse({"detail": MENSAJE_422, "errores": problemas}, status_code=422)


async def _undecodable(_request: Request, _error: Exception) -> JSONResponse:
    """400 for text that cannot be decoded or encoded (a form or query the checks did not see)."""
    return JSONResponse({"detail": MENSAJE_400}, status_code=400)


async def _unexpected(_request: Request, _error: Exception) -> JSONResponse:
    """500 with a short message and the security headers.

    Starlette answers an unhandled error from its outermost layer, outside the headers middleware; the
    error itself still reaches the (masked) server log.
    """
    return JSONResponse({"detail": MENSAJE_500}, status_code=500, headers=security_headers())


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on `app`."""
    app.add_exception_handler(Exception, _unexpected)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(UnicodeError, _undecodable)
