"""The reporting workflow: focal points write actions, the secretariat reviews and publishes them.

Access rules, forms, mail, appointments, reporting rounds and reminders, and the workspace and
review pages.
"""
