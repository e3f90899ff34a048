"""Import and export of tables (Qt-free)."""
