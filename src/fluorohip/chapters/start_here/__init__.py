"""Chapter 00, start here: how the course works, a check that widgets run, the course map, the
progress dashboard and the pre-test. ``views`` holds the widget check; the rest of the chapter
is served by the course, progress and quiz packages.
"""
