"""What every chapter's views share: one palette, one figure-with-alt-text helper and caption
style, described images and whole-text widget summaries. Views import from here; models never do.
"""
