"""Reaching the web politely: the HTTP client, throttles and breakers, and the public-URL guard."""
