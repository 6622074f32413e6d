"""Every scenario of the installed features is a test here (`portal-suite`, or
`pytest -p portal_suite.plugin --pyargs portal_suite`). A source checkout runs the
same features through tests/test_acceptance.py."""
from portal_suite.gherkin import scenarios

from portal_suite import FEATURES

scenarios(str(FEATURES))
