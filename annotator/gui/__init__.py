"""The Qt face of Annotator. Talks only to the ``annotator.core.Library`` facade."""
