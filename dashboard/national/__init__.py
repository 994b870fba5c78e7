"""The national scale-test store (simulated), its queries and figures: the Ministry's view of every province."""
