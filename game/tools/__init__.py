"""Authoring and testing tools that sit beside the engine: autoplay, exploration, graphs, schemas."""
