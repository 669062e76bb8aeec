"""ioopt: supply-chain input-output optimisation for regional industrial planning."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ioopt")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
