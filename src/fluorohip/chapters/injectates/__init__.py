"""Chapter 03, injectates: local anaesthetics, corticosteroids and contrast for the hip.

One module per job, all pure except the last two:

- :mod:`.facts`: every drug number, typed once with unit, range and source;
- :mod:`.local_anaesthetics`: the agents and milligrams from percent and mL;
- :mod:`.body_size`: the dosing weight (lean body weight in obesity);
- :mod:`.dose_check`: the maximum and the dose checked against it;
- :mod:`.time_course`: when each agent acts; :mod:`.steroids`: steroid equivalence;
- :mod:`.volume`: the total volume against the hip's capacity;
- :mod:`.figures` (matplotlib) and :mod:`.views` (ipywidgets) for notebook 03.

Teaching, not dosing advice.
"""
