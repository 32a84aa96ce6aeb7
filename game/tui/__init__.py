"""The trainee's game in the terminal: a Textual app (app.py) and a plain line mode (plain.py).

Importing this package costs nothing; each entry point imports what it needs.
"""
