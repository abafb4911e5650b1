"""The practice loop: question→fact matching, the encounter, scoring and its autosave."""
