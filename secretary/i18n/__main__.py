"""`python -m secretary.i18n update|check|extract|compile` (see secretary/i18n/catalogs.py)."""

import sys

from secretary.i18n.catalogs import main

sys.exit(main())
