"""glossary: mine, enrich and keep a termbase of Chinese political terms for translators."""

__version__ = "0.1.0"
