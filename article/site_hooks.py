"""MkDocs hooks of `portal-docs serve`: before each (re)build, stage the articles' words
again from docs/source, so that live reload shows a writer's edit (article.site)."""
from __future__ import annotations


def on_pre_build(config, **kwargs) -> None:
    from article.site import restage

    restage(config.config_file_path)
