"""The Selenium browser pool shared by every browser-driven source."""
