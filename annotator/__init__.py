"""Annotator: read, highlight, tag and export passages from saved articles, offline."""

__version__ = "0.1.0"
