"""The tutor's core: pure Python, never imports Qt, shared by the app, the CLI and the server."""
