"""What the portal can hold (SPEC §8): values outside these bounds are refused at load
or at the control API, so nothing later overflows SQLite, the calendar or memory.

Each bound is far beyond any plan-change scenario and far inside what breaks.
The size of the scenario text itself is bounded in `safe_yaml`.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

# Money, in the currency's major unit (dollars, yen): prices, credit balances.
MAX_AMOUNT = Decimal(1_000_000_000)
MAX_AMOUNT_CHARS = 40            # "1e999999" is short; 10,000 zeros are not
TAX_RATE_DECIMALS = 4            # percent: "8.25" yes, "8.123456" no

# Service ids go into SQLite INTEGER columns: signed 64-bit.
MAX_ID = 2**63 - 1

# The calendar: a clock of 9999-12-31 cannot move a day, nor a renewal a cycle.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)
MAX_CLOCK_MOVE = timedelta(days=36_525)          # one request moves the clock ≤ 100 years

MAX_PROVISIONING_DELAY_MINUTES = 525_600         # one year of minutes

# Text: ids, names, passwords; emails as RFC 5321 allows.
MAX_TEXT_CHARS = 200
MAX_EMAIL_CHARS = 254

# Lists.
MAX_PLANS = 100
MAX_CLIENTS = 1_000
MAX_USERS_PER_CLIENT = 100
MAX_SERVICES = 1_000
