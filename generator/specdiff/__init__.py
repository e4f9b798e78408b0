"""Schema diff: a structural diff of two IRs, then a table of rules that judge each change."""
