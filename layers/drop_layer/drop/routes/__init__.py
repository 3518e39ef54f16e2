"""One Powertools Router per route group; each function includes only its own."""
