"""Scope-of-work drafts, agreement documents and the California business-day calendar."""
