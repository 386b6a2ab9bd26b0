"""What every mock is built from: the injectable clock and ID sources, signing keys, the test users."""
