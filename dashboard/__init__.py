"""Education digital-transformation dashboard: store, queries, figures and command line."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
