"""Reading a programme folder: files to YAML nodes to records, with the cache of what was read."""
