"""The tutorial's helpers: the plumbing behind the notebooks, callable from plain Python too."""

from helpers.connect import Connection, connect

__all__ = ["Connection", "connect"]
