"""The analysts' Python client of the complaints platform's analytics service.

Figures, counts, projections, hot issues, incidents and reports over gRPC
(mTLS, with the analyst's certificate), as pandas DataFrames. Aggregates
only: analytics holds no personal data. Stubs are generated from proto/ by
clients/python/setup.sh.
"""

from complaints_analytics.client import AnalyticsClient, AnalyticsError, Projection

__all__ = ["AnalyticsClient", "AnalyticsError", "Projection"]
