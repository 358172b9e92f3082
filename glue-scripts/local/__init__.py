"""Running the Glue entry points on this machine: a local Spark session with the Iceberg runtime
of the Glue version the jobs declare, used by local mode and the Spark tests. Not shipped to Glue."""
