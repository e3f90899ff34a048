"""The Qt-free domain model: records, tables, the document, selection, queries and commands."""
