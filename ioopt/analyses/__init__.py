"""Analyses: procedures that solve a case many times, or read many solutions, and make
tables of what they find — quota value curves and efficient frontiers
(:mod:`~ioopt.analyses.tradeoffs`), how the answer moves across scenarios
(:mod:`~ioopt.analyses.compare`) and the input-output view of a case
(:mod:`~ioopt.analyses.io_view`). Each takes its inputs as tables in memory; the batch
store (:mod:`ioopt.batch.store`) is for resume and query, not a hand-off between modules.
"""
