"""Renderers: every output is made from the same view-model (FileReport), never from files."""
