"""HTTP edge: resolver factory, envelope, request parsing, error mapping."""
