"""Private full-text search layer (Whoosh). Only ``annotator.core`` imports it; the index is a
derived cache of the database and can be rebuilt from it at any time. Whoosh internals are read
only in ``whoosh_internals``."""
