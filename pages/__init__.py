"""Page objects: one per screen of the portal (SPEC §5).

Locators are built once, in each page's __init__, from roles, labels and texts
the SPEC fixes; every one carries a human name (a `Target`) that report
narration and screenshot captions use. Methods are named for intents
(`choose_plan("Start")`), and none of them asserts: checks live in the steps.
"""
from .base import Journal, Target
from .portal import Portal

__all__ = ["Journal", "Portal", "Target"]
