"""Progress: each actor's status derived from its published actions, and the figures rolled up from them.

Also when cached figures go stale (`freshness`).
"""
