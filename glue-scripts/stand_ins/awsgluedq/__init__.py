"""Stand-in for Glue Data Quality's awsgluedq package (see ../README.md)."""
