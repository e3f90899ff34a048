"""Briefing export: charts as PNG, SVG and PDF, and briefing packs as PDF and PPTX."""
