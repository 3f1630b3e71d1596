"""Installed as ``annotator.resources`` (see setup.py): icons, sample articles and the user
guide, read through importlib.resources (``annotator.paths.resources_dir``)."""
