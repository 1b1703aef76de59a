"""Subscriptions and alerts (DESIGN §4.8): saved tender searches and the matches they collect."""
