"""Offline clinical tutor: virtual patients and clinical cases with a local language model."""

__version__ = "0.1.0"
