"""Who is acting and what they may do: the base every domain imports (it imports no domain)."""
