"""An OpenAPI-driven generator of typed clients, server stubs and a unified cancel API."""

__version__ = "0.1.0"
