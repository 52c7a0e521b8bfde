"""Signing in to the admin: the admin site that can ask superusers for a second
factor (site.py), the lockout page django-axes shows (site.py), and the audit log of
sign-ins, refusals and staff exports (audit.py). README: "Signing in"."""
