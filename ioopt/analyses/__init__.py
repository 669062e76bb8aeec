"""Analyses over the solver session: what-if re-solves, infeasibility, ranking (numbers
and reasons apart), trade-offs, the input-output view and comparisons. They take and
return tables in memory; the batch store is for resume and query only.
"""
