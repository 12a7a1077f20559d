"""The web app: web chat, document verification page and JSON API."""
