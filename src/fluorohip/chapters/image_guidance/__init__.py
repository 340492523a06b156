"""Chapter 02, why image guidance: how often a needle reaches the joint by each kind of guidance,
what a miss does to a diagnostic block, and what fluoroscopy costs in radiation and how to cut it.

``accuracy`` (published series and the placement-accuracy model), ``intervals`` (confidence
intervals for a proportion) and ``radiation`` (cited dose figures and the relative dose model)
are pure; ``figures`` draws with matplotlib; ``views`` holds the ipywidgets explorers.
"""
