"""Learners' progress and the outbox of events waiting to reach the school server."""
