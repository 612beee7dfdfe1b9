"""The API at /api/v1/: the open data read by other systems, and focal points reporting with a token.

Reads give the exports' rows through the public site's filters (`reads`); writes go through
the reporting workflow, its permission helper and the action form's rules (`writes`); focal
points make and revoke their tokens in the workspace (`token_pages`).
"""
