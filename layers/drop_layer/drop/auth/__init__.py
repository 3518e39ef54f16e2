"""Authentication: session tokens (HS256 JWT naming a session row) and the authenticated-user context."""
