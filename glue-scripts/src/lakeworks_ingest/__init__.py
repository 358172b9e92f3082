"""Lakeworks ingest on Glue: pulls from databases into the raw layer, from where the transform
takes over as it does for any uploaded file."""
