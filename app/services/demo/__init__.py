"""`flask demo seed`: a realistic Sở to try TDNV with (never used by the production config)."""
