"""Sync between a laptop and the school server: the shared protocol and the laptop's client."""
