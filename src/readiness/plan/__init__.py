"""Plans: dated actions, their projected effect on the organization's curve, and whether they
worked.

- :mod:`~readiness.plan.kinds`: the kinds of action (``data/actions.yaml``), an explicit
  assumption like the lever mapping;
- :mod:`~readiness.plan.model`: a plan, its file format, reading and writing.
"""
