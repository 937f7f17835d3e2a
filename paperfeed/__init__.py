"""paperfeed: a self-hostable hub for trending research papers."""

__version__ = "0.1.0"
