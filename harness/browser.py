"""Find a Chromium for Playwright (placeholder until the suite lands)."""
import sys

if __name__ == "__main__":
    sys.exit(0)
