"""The Qt shell over ``tutor.core``. Widgets never touch SQLite or the model directly."""
