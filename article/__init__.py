"""The living article: `portal-docs` (SPEC §2, §10), its own command.

Reads the words in docs/source/ (one file per language), runs the acceptance scenarios
its screenshot markers name with the shooter plugin, checks the words against the
screens, writes docs/ (and docs/<locale>/) and renders the site. One module per job:

    cli.py           the command: build, serve, targets
    build.py         `portal-docs build`: one run over every language
    source.py        the article's source: words, ids, screenshot markers
    render.py        running the scenarios (a child pytest per language) and reading what was shot
    shooter.py       the pytest plugin, inside that child run: shoots a marker after its Gherkin step
    record.py        ShotRecord: what the shooter made of one marker (the one record both sides read)
    wordcheck.py     the words checked against the screens: quoted labels, captions, parity
    overlay.py       the rings and numbered badges drawn around a shot's targets
    pdf_image.py     a downloaded PDF rendered to an image
    stamps.py        the verified stamp of each image
    publish.py       the published Markdown: <figure>s (light and dark), alt text, stamp footers
    site.py          the site (MkDocs + Material + mkdocs-static-i18n); site_hooks.py its live reload
    images.py        writing docs/img: unchanged, changed, removed, the renderer record
    compare.py       how two PNGs differ (the visual threshold)
    gate.py          the visual gate: its verdicts, and fresh shots per run; gate_report.py its summary line

The product package `simulator/` never imports this one, nor knows it exists.
"""
