"""Drop's shared package: models, money rules, auth, HTTP glue and Postgres access for every Lambda."""
