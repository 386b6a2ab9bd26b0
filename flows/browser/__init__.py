"""Browser side: launching Chromium through the proxy, journeys and login drivers."""
