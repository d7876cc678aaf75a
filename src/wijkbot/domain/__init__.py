"""The pure domain: values and decisions, no I/O, no clock reads, no async.

Everything here is a function of its arguments, so it can be tested with literals.
Third-party imports are limited to pure computation libraries (rapidfuzz, PyStemmer, holidays).
"""
