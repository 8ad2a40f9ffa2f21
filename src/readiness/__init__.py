"""Enterprise 2.0 adoption readiness: questionnaire, scoring and growth projection."""

__version__ = "0.1.0"
