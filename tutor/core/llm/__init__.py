"""The local language model: catalog, hardware fit, and the child-process client."""
