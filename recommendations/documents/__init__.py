"""The outcome documents: reading a document's text, importing it as a meeting, and the Bangkok workshop's reading."""
