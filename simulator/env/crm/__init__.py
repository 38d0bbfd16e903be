"""env/crm."""
