"""A from-scratch re-implementation of OpenStack Compute (Nova)."""
