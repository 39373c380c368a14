"""Reflex states: thin. Read input, call a service, show the result. Helpers start with `_`."""
