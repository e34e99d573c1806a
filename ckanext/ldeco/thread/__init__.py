"""The golden thread: typed links between datasets across the five layers."""
