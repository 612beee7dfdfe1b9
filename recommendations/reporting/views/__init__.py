"""The signed-in pages, one module per audience: `workspace` for focal points, `review` for the secretariat."""
