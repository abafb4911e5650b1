"""The school sync server. Uses ``tutor.core`` (the sync protocol), never ``tutor.ui``."""
