"""Input checks generated from schemas/ by fastjsonschema (see check_generation)."""
