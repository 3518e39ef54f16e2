"""Business rules, one module per domain. No HTTP in here."""
