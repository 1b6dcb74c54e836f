"""``python -m dialoog`` runs the command line."""

from dialoog.cli import main

if __name__ == "__main__":
    main()
