"""The Analysis window (matrix, frequencies, timeline, combinations). Importing this package
imports nothing heavy; ``analysis.window`` brings in matplotlib, only when the window opens."""
