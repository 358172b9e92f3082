"""Lakeworks curation: the conformed and enriched Apache Iceberg tables of a line of business.

The Glue entry points (glue-scripts/jobs) are thin: they parse job arguments and hand a Spark
session to this package. Local mode and the tests call the same functions with a local session
(session.local_session), so what is tested is what Glue runs.
"""
