"""SQL lives here, one module per aggregate. Functions take a cursor when they must join a transaction."""
