"""Running the app: demonstration data, and backups of the database and uploaded files."""
