"""Views, one module per audience: `public` for everyone."""
