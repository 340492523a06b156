"""Chapter 08, cases and assessment: the integrated cases, the post-test and the completion summary.

A thin chapter package: the case player, grading and the completion summary are engines
(:mod:`fluorohip.cases`, :mod:`fluorohip.quiz`); :mod:`.views` only gathers what notebook 08
shows, so adding or reordering chapters never copies their logic here.
"""
