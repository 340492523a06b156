"""Plumbing with no widgets: paths, cited facts, the number parser, problems, the bibliography,
YAML with line numbers and JSON schemas. Everything else in the package may import from here;
nothing here imports from the rest of the package.
"""
