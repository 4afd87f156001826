"""sitroom: a cited, versioned situation record from live news coverage."""

__version__ = "0.1.0"
