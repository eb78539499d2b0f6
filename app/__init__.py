"""Gesprekskaarten: NJi conversation cards turned into a yearly doe-agenda."""
