"""One module per page, each owning its state."""
