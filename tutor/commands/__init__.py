"""Subcommand groups of the ``tutor`` command, one module per area, registered in ``tutor.cli``."""
