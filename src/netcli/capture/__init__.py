"""Capture: the network logs itself from files already on the user's machine.

Sources read files into plain records with a stable key and touch no
database (`calendar` reads iCalendar files; `files` finds them and tells
which changed); `match` decides, purely, which records are meetings with
contacts and why the others are skipped; `store.capture` turns the kept
records into interactions idempotently. Nothing here imports the CLI.
"""
