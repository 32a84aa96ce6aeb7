"""offramp: a negotiation-training game about tactical empathy, brinkmanship and off-ramps."""

__version__ = "0.1.0"
