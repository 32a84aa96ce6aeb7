"""Widgets that show a session: the narrative log, the choices, the state panel, score bars."""
