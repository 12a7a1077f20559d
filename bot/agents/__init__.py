"""The help desk: agents' accounts and sessions, the handoff queue, audit, reminders and the NLU review queue.

Everything here is stored in the tables of migration 0005 (`bot/agents/tablas.py`). The engine sees only
the queue, through its `HandoffDesk` port (`bot.agents.cola.Cola`); the console (`bot/web/agentes.py`)
uses `bot.agents.consola.Consola`. docs/consola.md tells agents and operators how it works.
"""
