"""Drop's Docker-free local runtime (`make dev`): embedded Postgres, moto, flags, SAM's own gateway."""
