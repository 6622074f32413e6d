"""The living article: `portal-sim docs` (SPEC §10).

Reads the words in docs/source/, walks the portal through the acceptance suite's page
objects, shoots each step and writes docs/. One module per job:

    source.py        the article's source: words, ids, screenshot markers
    publish.py       the published markdown built from it
    walkthroughs.py  the flows the screenshots are taken on (scenarios, checks)
    walk.py          one walk in one browser context: steps, checks, shots
    overlay.py       the ring and badge drawn around a shot's targets
    shots.py         rendering: a browser, a simulator, one context per walk
    pdf.py           a downloaded PDF rendered to an image
    compare.py       how two PNGs differ (the visual threshold)
    images.py        writing docs/img: unchanged, changed, the renderer record
    build.py         the command itself (`portal-sim docs ...`)

The product package `simulator/` never imports this one; `portal-sim docs` finds it
in the source checkout by name.
"""
