"""The app's screens: home, table picker, capture, clock and overview."""
