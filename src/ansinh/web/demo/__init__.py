"""Demonstration data for `ansinh demo`: the organisation tree, one account per standard role and a
register of realistic (but invented) Vietnamese people.

It lives in the delivery layer (`web`) because it spans every app and is a tool for people trying the
platform, not part of any domain. It writes through the accounts services wherever one row at a time is
fast enough, and bulk-inserts only the people register (see `builder.py` for why).
"""
