"""Plans: importing an appendix, resolving its unit names, the held upload, assignment matrices."""
