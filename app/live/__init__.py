"""Real-time delivery: broadcast backends, the per-process hub, and rendered pushes."""
