"""What pyproject.toml cannot say: the top-level resources/ folder installed as the package
``annotator.resources`` (the repository keeps its layout; every install reads icons, sample
articles and the user guide through importlib.resources), and the desktop files installed
under the prefix's share/ (a `pip install --user` puts them where the desktop looks)."""

from __future__ import annotations

from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

APP_ID = "io.github.annotator.annotator"
HERE = Path(__file__).resolve().parent


def desktop_files() -> list[tuple[str, list[str]]]:
    files = [
        ("share/applications", [f"packaging/{APP_ID}.desktop"]),
        ("share/metainfo", [f"packaging/{APP_ID}.metainfo.xml"]),
    ]
    for size_dir in sorted((HERE / "packaging" / "icons" / "hicolor").iterdir()):
        icons = sorted(p.relative_to(HERE).as_posix() for p in (size_dir / "apps").iterdir())
        files.append((f"share/icons/hicolor/{size_dir.name}/apps", icons))
    return files


def resource_packages() -> list[str]:
    """annotator.resources and one (namespace) package per folder in it, as setuptools wants
    data folders named; their files are package data."""
    folders = [p for p in sorted((HERE / "resources").rglob("*")) if p.is_dir() and p.name != "__pycache__"]
    return ["annotator.resources", *(
        "annotator.resources." + ".".join(p.relative_to(HERE / "resources").parts) for p in folders)]


# The files the app reads; the generator scripts beside the samples stay in the repository.
RESOURCE_FILES = ["*.svg", "*.txt", "*.md", "*.html", "*.pdf", "*.docx"]


class BuildPyWithoutResourceScripts(build_py):
    """resources/ holds data; its .py files (make_pdf.py: how a sample was made) are not
    modules of the app."""

    def find_package_modules(self, package: str, package_dir: str) -> list[tuple[str, str, str]]:
        modules = super().find_package_modules(package, package_dir)
        return [m for m in modules if not package.startswith("annotator.resources.")]

setup(
    cmdclass={"build_py": BuildPyWithoutResourceScripts},
    packages=[*find_namespace_packages(include=["annotator", "annotator.*"], exclude=["*.__pycache__"]),
              *resource_packages()],
    package_dir={"annotator.resources": "resources"},
    package_data={"annotator": ["**/*.mako"], **{name: RESOURCE_FILES for name in resource_packages()}},
    data_files=desktop_files(),
)
