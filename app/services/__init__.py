"""Business rules: plain functions with keyword-only arguments that commit, then publish."""
