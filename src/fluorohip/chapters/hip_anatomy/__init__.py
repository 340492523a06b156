"""Chapter 01, hip anatomy for the injector: the capsule and its recesses, the femoral triangle,
depth and needle length, and the AP radiograph.

``model`` holds the cited numbers and the depth and needle model, ``geometry`` the frontal
geometry of the drawings, ``structures`` what they show and the label exercise's key: all pure.
``figures`` draws with matplotlib; ``views`` shows them (and ipywidgets) in the notebook.
"""
