"""Moved to :mod:`fluorohip.content.course_map` (the registry) and :mod:`fluorohip.content.overview`
(its displays); this old name stays for one release (0.2) as a re-export of the public names."""

from .content.course_map import (
    MapEntry,
    chapter_stems,
    course_map,
    final_entry,
    total_minutes,
)
from .content.overview import CourseMapView, course_map_markdown, preflight, show_course_map

__all__ = [
    "CourseMapView",
    "MapEntry",
    "chapter_stems",
    "course_map",
    "course_map_markdown",
    "final_entry",
    "preflight",
    "show_course_map",
    "total_minutes",
]
