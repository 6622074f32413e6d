"""Page objects: one per screen of the portal (SPEC §5).

Locators are built once, in each page's __init__, from the UI profile's entries
(pages/profile.py; profiles/*.yaml hold the roles, labels and texts of one portal
in one language): page objects name targets ("the Submit button"), the profile
says how the portal shows them. Every one carries a human name (a `Target`) that
report narration and screenshot captions use. Methods are named for intents
(`choose_plan("Start")`), and none of them asserts: checks live in the steps.
"""
from .base import Target
from .narration import Journal
from .portal import Portal
from .profile import UiProfile, load_profile

__all__ = ["Journal", "Portal", "Target", "UiProfile", "load_profile"]
