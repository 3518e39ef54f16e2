"""Typed request and response models (pydantic), shared by every route group."""
