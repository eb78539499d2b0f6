"""Exports of a workshop's doe-agenda and answers, one module per format."""
