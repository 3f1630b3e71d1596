"""Private SQLAlchemy layer. Nothing outside ``annotator.core`` imports it."""
