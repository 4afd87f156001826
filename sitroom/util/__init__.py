"""Helpers below every stage: JSON conversion, ISO times, and reading a user's time.

Nothing here imports a stage, so read, store, enrich, analyse, brief, cli and serve may all
use it.
"""
