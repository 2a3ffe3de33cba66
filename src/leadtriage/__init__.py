"""leadtriage: clean and triage contact lists before they enter a CRM."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("leadtriage")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
