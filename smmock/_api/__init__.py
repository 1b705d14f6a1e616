"""Helpers of the public API: decorating test classes, and moto's options."""
