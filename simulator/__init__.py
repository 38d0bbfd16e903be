"""simulator: test conversational agents with simulated users over many turns."""

__version__ = "0.1.0"
