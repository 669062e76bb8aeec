"""Everything that talks to HiGHS: the status enum, the compiler (Pyomo -> HiGHS arrays
with index tables) and the one session class.
"""
