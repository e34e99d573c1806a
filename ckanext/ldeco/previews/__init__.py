"""Previews of resources beside core's: Markdown reports rendered on the page."""
