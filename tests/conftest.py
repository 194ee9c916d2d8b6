import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# The site-free tests import verenigingen.core straight from the checkout.
sys.path.insert(0, str(REPO_ROOT))
