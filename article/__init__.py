"""The living article: `portal-sim docs` (SPEC §10).

Reads the words in docs/source/ (one file per language), runs the acceptance scenarios
its screenshot markers name with the shooter plugin, checks the words against the
screens, and writes docs/ (and docs/<locale>/). One module per job:

    source.py        the article's source: words, ids, screenshot markers
    shooter.py       the pytest plugin that shoots a marker after its Gherkin step
    shots.py         running the scenarios (a child pytest) and reading what was shot
    words.py         the words checked against the screens: quoted labels, captions
    overlay.py       the ring and badge drawn around a shot's targets
    pdf.py           a downloaded PDF rendered to an image
    stamps.py        the verified stamp of each image
    publish.py       the published markdown: <picture> figures, alt text, stamps
    compare.py       how two PNGs differ (the visual threshold)
    gate.py          the visual gate's verdict; gate_report.py its summary line
    images.py        writing docs/img: unchanged, changed, the renderer record
    build.py         the command itself (`portal-sim docs ...`)

The product package `simulator/` never imports this one; `portal-sim docs` finds it
in the source checkout by name.
"""
