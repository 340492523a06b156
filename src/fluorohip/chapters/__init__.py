"""One package per notebook chapter: model.py (pure), figures.py, views.py (see /work/shared/style.md)."""
