"""viewer layer."""
