"""Input checks generated from schemas/ by fastjsonschema (see fast_validation)."""
