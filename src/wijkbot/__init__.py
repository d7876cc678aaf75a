"""wijkbot: the resident-contact system of a Dutch municipality's wijkbureau."""

__version__ = "0.1.0"
