"""Tests of the pure engine: loading, validation, play, the persona model and scoring."""
