"""Stand-in for Glue's awsglue package (see ../README.md)."""
